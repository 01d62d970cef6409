#!/usr/bin/env bash
# Reproduce the seed_demo figures of docs/benchmarks.md ("Demo data: seed_demo").
#
# Drops and recreates the PostgreSQL database fw_bench, migrates it, then times
#   seed_demo --visits 1000000 --units 5000 --seed 2026
# and prints the rows per table and the database size. fw_bench is left in place: the page
# benchmarks run on it. Sizes and names can be changed: VISITS=100000 UNITS=1000 DB=fw_small ...
# TODAY=2026-11-28 pins the last day of the data (default: today), for the very same rows.
#
# BUSY=1 holds one core busy beside the seed (a `while True` loop in another Python process), the
# issue 17 item 7 condition.
# -v2 prints each step's wall time and the CPU seconds of the command, of the generator's child
# process and of the PostgreSQL backend with its parallel workers (fieldwork/demo/meter.py).
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:-fw_bench}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
VISITS=${VISITS:-1000000}
UNITS=${UNITS:-5000}
SEED=${SEED:-2026}
export PGHOST PGUSER
export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$DB"

dropdb --if-exists "$DB"
createdb "$DB"
.venv/bin/python manage.py migrate --noinput -v0

BUSY=${BUSY:-}
helpers=()
stop_helpers() { for pid in "${helpers[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_helpers EXIT
if [ -n "$BUSY" ]; then
  python3 -c 'while True: pass' &
  helpers+=($!)
fi
echo "== seed_demo --visits $VISITS --units $UNITS --seed $SEED${TODAY:+ --today $TODAY} into $DB ($(nproc) cores${BUSY:+, one held busy}, load $(cut -d' ' -f1-3 /proc/loadavg))"
/usr/bin/time -f "wall %e s, user %U s, system %S s, max RSS %M KB" \
  .venv/bin/python manage.py seed_demo --visits "$VISITS" --units "$UNITS" --seed "$SEED" ${TODAY:+--today "$TODAY"} -v2
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_helpers
helpers=()

# What autovacuum does within minutes on a live server: the visibility map lets counts read the
# indexes alone (before it, the branch's capped count took ~50 ms instead of ~2 ms).
echo "== VACUUM ANALYZE"
/usr/bin/time -f "wall %e s" psql -d "$DB" -qc "VACUUM ANALYZE"

echo "== rows per table"
for table in auth_user fieldwork_unit fieldwork_membership fieldwork_visit fieldwork_visit_cadres \
  fieldwork_visit_principles fieldwork_concern fieldwork_concern_principles fieldwork_concernevent \
  fieldwork_followupaction fieldwork_followupaction_principles fieldwork_feedback fieldwork_unitmonth; do
  printf "%-38s %12s\n" "$table" "$(psql -d "$DB" -Atc "SELECT to_char(count(*), 'FM999,999,999') FROM $table")"
done
echo "== database size"
psql -d "$DB" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))"
