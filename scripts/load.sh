#!/usr/bin/env bash
# The load test of docs/benchmarks.md ("Load"): gunicorn with the production settings against the
# PostgreSQL database of the benchmark (seed_demo --visits 1000000 --units 5000, see bench_seed.sh),
# then locust, headless, on loopback, at increasing concurrency, STEP_SECONDS at each step.
#
#   .venv/bin/uv pip install --python .venv/bin/python -r pyproject.toml --extra load   # locust
#   scripts/load.sh                       # STEPS="10 25 40 50 75 100" STEP_SECONDS=120 DB=fw_bench
#
# The mix is scripts/locustfile.py: cadres (3 in 4) open my work, the concern list and concerns and
# log visits; leaders (1 in 4) do the same and open their dashboard. Each simulated person waits
# 0.5-1.5 s between requests, so N people ask for about N requests per second if the server keeps up.
# Visits logged by the test stay in the database. Prints one line per step: requests per second,
# p50/p95/p99 in ms and failures; the CSV files of each step are left in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:-fw_bench}
PORT=${PORT:-8001}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
STEPS=${STEPS:-"10 25 40 50 75 100"}
STEP_SECONDS=${STEP_SECONDS:-120}
OUT=${OUT:-$(mktemp -d /tmp/fieldwork-load.XXXXXX)}
mkdir -p "$OUT"

# Production settings, as a deployment behind nginx has them; only TLS is absent on loopback, so the
# HTTPS redirect and the secure-cookie flags are off (the HSTS header is still sent).
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export FIELDWORK_RECEIPT_KEY=${FIELDWORK_RECEIPT_KEY:-load-test-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export FIELDWORK_NOTE_KEYS=${FIELDWORK_NOTE_KEYS:-ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM=}  # fieldwork.talks.DEV_NOTE_KEY: load tests only
export ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export FIELDWORK_WEB=1 # the statement timeout of web workers
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export GUNICORN_TIMEOUT=${GUNICORN_TIMEOUT:-30}

.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py check --deploy --fail-level ERROR -v0 2>/dev/null  # warns of the TLS settings turned off above

.venv/bin/gunicorn config.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" --timeout "$GUNICORN_TIMEOUT" \
  --access-logfile "$OUT/access.log" --error-logfile "$OUT/gunicorn.log" &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null || true; wait $gunicorn_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null

echo "gunicorn: $WORKERS sync workers on $(nproc) cores; database $DB; $STEP_SECONDS s per step; files in $OUT"
printf "%6s %8s %8s %8s %8s %8s %9s %11s\n" users req/s p50_ms p95_ms p99_ms requests failures locust_cpu
for users in $STEPS; do
  # locust runs on the same cores as the server: its own CPU time is printed too (load-generator share)
  /usr/bin/time -f "%U %S" -o "$OUT/step-$users.cpu" \
    .venv/bin/locust -f scripts/locustfile.py --headless --only-summary --users "$users" --spawn-rate "$users" \
    --run-time "${STEP_SECONDS}s" --host "http://127.0.0.1:$PORT" --csv "$OUT/step-$users" \
    >"$OUT/step-$users.log" 2>&1 || true # locust exits 1 when any request failed; the line below says so
  .venv/bin/python - "$OUT/step-$users" "$users" "$STEP_SECONDS" <<'EOF'
import csv, sys
prefix, users, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
row = next(r for r in csv.DictReader(open(prefix + "_stats.csv", encoding="utf-8")) if r["Name"] == "Aggregated")
cpu = sum(float(part) for part in open(prefix + ".cpu").read().split()[-2:])
print(
    f"{users:>6} {float(row['Requests/s']):8.1f} {row['50%']:>8} {row['95%']:>8} {row['99%']:>8} "
    f"{row['Request Count']:>8} {row['Failure Count']:>9} {100 * cpu / seconds:10.0f}%"
)
EOF
done
