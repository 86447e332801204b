#!/usr/bin/env bash
# Sets up a demo database (reference data, the sample articles, an editor account) and
# serves the site at http://$HOST:$PORT (default 127.0.0.1:8000). Run it through `make serve`,
# which installs first.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Listening on every interface (0.0.0.0) is reached from this machine as 127.0.0.1.
if [ "$HOST" = "0.0.0.0" ]; then URL_HOST=127.0.0.1; else URL_HOST="$HOST"; fi
URL="http://$URL_HOST:$PORT/"

$BIN/python manage.py migrate --noinput
$BIN/python manage.py load_reference
$BIN/python manage.py ingest_articles seeds/articles --wait
$BIN/python manage.py demo_setup --url "$URL"
echo "Serving at $URL (Ctrl-C to stop)"
exec $BIN/python manage.py runserver "$HOST:$PORT"
