#!/usr/bin/env bash
# The unit export and the whole-database route of docs/benchmarks.md, on the 1M demo (fw_bench, only
# read): export_unit of a substation and of the root, import of the substation into an empty database,
# then pg_dump -Fc of fw_bench and pg_restore into a scratch database, dropped at the end.
# `scripts/bench_export.sh units` or `scripts/bench_export.sh dump` runs one half; no argument, both.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=postgres://postgres@127.0.0.1:5432
BENCH=${BENCH_DB:-fw_bench}
OUT=${OUT:-/tmp/fw_export_bench}
SUBSTATION=${SUBSTATION:-bdyx-2}
ROOT=${ROOT:-jt}
IMPORT_DB=${IMPORT_DB:-fw_h_export_import}
RESTORE_DB=${RESTORE_DB:-fw_h_restore}
# Production settings: with DEBUG on, Django keeps the text of the last 9,000 queries, which would be
# counted in the commands' memory.
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-$(head -c 24 /dev/urandom | base64)}
TIME=(/usr/bin/time -f "%e s wall, %U s user, %S s system, max RSS %M KB")
mkdir -p "$OUT"

# Seconds until the export file under way first holds 1 MB: the export writes as it reads.
first_mb() {
  local file=$1 start=$SECONDS
  while [ ! -s "$file" ] || [ "$(stat -c %s "$file")" -lt 1048576 ]; do
    [ -e "$OUT/.done" ] && return
    sleep 0.2
  done
  echo "first MB written after $((SECONDS - start)) s"
}

STEP=${1:-all}

if [ "$STEP" != dump ]; then
for code in "$SUBSTATION" "$ROOT"; do
  echo "== export_unit $code"
  rm -f "$OUT/.done"
  first_mb "$OUT/$code.export.partial" &
  DATABASE_URL=$PG/$BENCH "${TIME[@]}" .venv/bin/python manage.py export_unit "$code" --output "$OUT/$code.export"
  touch "$OUT/.done"; wait
  echo "$(stat -c %s "$OUT/$code.export") bytes, $(($(wc -l <"$OUT/$code.export") - 1)) records"
  cut -d, -f1 "$OUT/$code.export" | tail -n +2 | sort | uniq -c
done

echo "== import_unit $SUBSTATION into an empty, migrated database ($IMPORT_DB)"
dropdb --if-exists -h 127.0.0.1 -U postgres "$IMPORT_DB"
createdb -h 127.0.0.1 -U postgres "$IMPORT_DB"
DATABASE_URL=$PG/$IMPORT_DB .venv/bin/python manage.py migrate --noinput -v0
DATABASE_URL=$PG/$IMPORT_DB "${TIME[@]}" .venv/bin/python manage.py import_unit "$OUT/$SUBSTATION.export"
dropdb -h 127.0.0.1 -U postgres "$IMPORT_DB"
fi

if [ "$STEP" != units ]; then
echo "== pg_dump --format=custom of $BENCH"
"${TIME[@]}" pg_dump --format=custom --file="$OUT/$BENCH.dump" "$PG/$BENCH"
echo "$(stat -c %s "$OUT/$BENCH.dump") bytes"
echo "== pg_restore into $RESTORE_DB"
dropdb --if-exists -h 127.0.0.1 -U postgres "$RESTORE_DB"
createdb -h 127.0.0.1 -U postgres "$RESTORE_DB"
"${TIME[@]}" pg_restore --no-owner --dbname="$PG/$RESTORE_DB" "$OUT/$BENCH.dump"
psql -h 127.0.0.1 -U postgres "$RESTORE_DB" -tAc "select 'visits ' || count(*) from fieldwork_visit"
dropdb -h 127.0.0.1 -U postgres "$RESTORE_DB"
rm -f "$OUT/$BENCH.dump"
fi
echo "exit 0"
