#!/usr/bin/env bash
# `make run`: the development server with one task worker beside it; when either ends, or on Ctrl+C,
# both stop. Usage: scripts/run_with_worker.sh PYTHON [ADDRESS]
set -u
py=${1:-.venv/bin/python}
address=${2:-127.0.0.1:8000}
"$py" manage.py run_worker --no-reload &
worker=$!
"$py" manage.py runserver "$address" &
server=$!
stop() {
  kill -TERM "$server" "$worker" 2>/dev/null
  wait "$server" "$worker" 2>/dev/null
}
trap 'stop; exit 130' INT TERM
wait -n "$server" "$worker"
status=$?
stop
exit "$status"
