#!/usr/bin/env bash
# The root dashboard under load beside the same HTML returned from a string (issue 17, item 6).
#
#   DB=fw_bench USER_NAME=leader_jt scripts/bench_dashboard_load.sh     # ROUNDS=3 DURATION=20s
#
# gunicorn as scripts/load.sh starts it (production settings, 4 sync workers unless WORKERS says),
# with scripts/bench_string_settings.py: the app's URLs plus /bench/string/, a tiny view behind the
# same middleware returning the dashboard's HTML (saved once from the page itself) from a string;
# sessions are signed cookies, so the read-only database is never written. Then wrk -c8 (Debian
# package wrk) in turns: the dashboard, the string, ROUNDS times each, and prints each req/s with the
# load average, then the medians. CACHE=cold runs with FIELDWORK_DASHBOARD_CACHE_SECONDS=0: every
# request counts and renders the dashboard afresh, as the first request after a change does.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:-fw_bench}
PORT=${PORT:-8011}
WORKERS=${WORKERS:-4}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
USER_NAME=${USER_NAME:-leader_jt}
QUERY=${QUERY:-}
CACHE=${CACHE:-warm}
[ "$CACHE" = cold ] && export FIELDWORK_DASHBOARD_CACHE_SECONDS=0
OUT=${OUT:-$(mktemp -d /tmp/fieldwork-dash-load.XXXXXX)}
mkdir -p "$OUT"

export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export FIELDWORK_RECEIPT_KEY=${FIELDWORK_RECEIPT_KEY:-load-test-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export FIELDWORK_NOTE_KEYS=${FIELDWORK_NOTE_KEYS:-ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM=}  # fieldwork.talks.DEV_NOTE_KEY: load tests only
export ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export FIELDWORK_WEB=1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export DJANGO_SETTINGS_MODULE=bench_string_settings
export PYTHONPATH="$PWD/scripts:$PWD"
export BENCH_HTML_FILE="$OUT/dashboard.html"

# The session cookie of the user and the address of their top unit's dashboard.
read -r COOKIE_NAME COOKIE UNIT_ID < <(.venv/bin/python - "$USER_NAME" <<'PY'
import sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.signed_cookies import SessionStore
from fieldwork.views.dashboards import _top_units
user = get_user_model().objects.get(username=sys.argv[1])
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print(settings.SESSION_COOKIE_NAME, session.session_key, _top_units(user).order_by("path").first().pk)
PY
)
DASH="http://127.0.0.1:$PORT/units/$UNIT_ID/dashboard/${QUERY:+?$QUERY}"
: >"$BENCH_HTML_FILE"

.venv/bin/python manage.py collectstatic --noinput -v0
start() {
  .venv/bin/gunicorn config.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" --timeout 30 \
    --error-logfile "$OUT/gunicorn.log" &
  gunicorn_pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
}
stop() { kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; }
trap stop EXIT
# Save the page once, then restart so that every worker holds it in memory.
start
curl -sf -b "$COOKIE_NAME=$COOKIE" "$DASH" -o "$BENCH_HTML_FILE"
stop
start
test "$(curl -s -o /dev/null -w '%{http_code}' -b "$COOKIE_NAME=$COOKIE" "$DASH")" = 200
test "$(curl -s -b "$COOKIE_NAME=$COOKIE" "http://127.0.0.1:$PORT/bench/string/" | cmp - "$BENCH_HTML_FILE" && echo same)" = same

echo "gunicorn: $WORKERS workers on $(nproc) cores; $DB; cache $CACHE; $DASH ($(wc -c <"$BENCH_HTML_FILE") bytes); wrk -c8 -t2 -d$DURATION"
for round in $(seq 1 "$ROUNDS"); do
  for name in dashboard string; do
    target=$DASH
    [ "$name" = string ] && target="http://127.0.0.1:$PORT/bench/string/"
    wrk -c8 -t2 -d"$DURATION" -H "Cookie: $COOKIE_NAME=$COOKIE" "$target" >"$OUT/$name-$round.txt"
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name-$round.txt")
    non2xx=$(awk '/Non-2xx/ {print $4}' "$OUT/$name-$round.txt")
    echo "round $round $name ${rps} req/s${non2xx:+ ($non2xx non-2xx)}; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
  done
done
for name in dashboard string; do
  grep " $name " "$OUT/summary.txt" | awk '{print $4}' | sort -n | awk -v n="$name" '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; print "median " n ": " m " req/s"}'
done
