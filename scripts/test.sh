#!/usr/bin/env bash
# The whole test suite: lock check, lint, type check, migrations check, then pytest on SQLite and on
# PostgreSQL (with a real Celery worker and Redis). Run it through `make test`, which installs
# first.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/claimsite}
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
unset DATABASE_URL REDIS_URL DJANGO_SETTINGS_MODULE

bash scripts/services.sh

echo "== uv.lock agrees with pyproject.toml"
UV_PYTHON_DOWNLOADS=never $BIN/uv lock --check --offline
echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .
echo "== mypy"
$BIN/mypy
echo "== migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run --settings=claimsite.settings.test

echo "== pytest on SQLite"
$BIN/pytest -m "not integration and not postgresql" "$@"

services_up() {
  $BIN/python - "$PG_URL" "$TEST_REDIS_URL" <<'PY'
import sys
import psycopg
import redis

psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
redis.Redis.from_url(sys.argv[2], socket_connect_timeout=3).ping()
PY
}

if services_up 2>/dev/null; then
  echo "== pytest on PostgreSQL, with Redis and a real Celery worker"
  DATABASE_URL=$PG_URL $BIN/pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL or Redis is not reachable at $PG_URL / $TEST_REDIS_URL, and CI=true." >&2
  exit 1
else
  echo "== SKIPPED the PostgreSQL + Redis + Celery worker pass: services not reachable."
  echo "   Start PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 to run it."
fi
