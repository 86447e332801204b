#!/usr/bin/env bash
# Sets up a demo database (reference data, the sample articles, an editor account) and
# serves the site at http://127.0.0.1:8000. Run it through `make serve`, which installs first.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

$BIN/python manage.py migrate --noinput
$BIN/python manage.py load_reference
$BIN/python manage.py ingest_articles seeds/articles --wait
$BIN/python manage.py demo_setup
exec $BIN/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
