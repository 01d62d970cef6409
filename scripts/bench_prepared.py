"""Benchmark of the files prepared in the background (issue 16, item 2), through the real queue: as the
root's leader (`leader_jt`), ask for a file (an Export and its task, as the prepare view does), then run
one worker pass in this process and time it, with the rows written and the queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench .venv/bin/python scripts/bench_prepared.py \
        [--kind ledger_xlsx] [--unit jt] [--period 2026-07] [--media /tmp/fw_media]

It writes an Export row, a task row and the file (under --media) into that database: use a benchmark
database, never a live one.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import translation  # noqa: E402

from fieldwork.exports import jobs  # noqa: E402
from fieldwork.models import Export, Unit  # noqa: E402
from tests.tasks.worker import work_off  # noqa: E402

EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "page": "html"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", default="ledger_xlsx", choices=[kind.value for kind in Export.Kind])
    parser.add_argument("--unit", default="jt", help="unit code (the root of the demo is jt)")
    parser.add_argument("--period", default="2026-07")
    parser.add_argument("--user", default="leader_jt")
    parser.add_argument("--media", default="/tmp/fw_media")
    options = parser.parse_args()
    settings.MEDIA_ROOT = options.media
    user = get_user_model().objects.get(username=options.user)
    unit = Unit.objects.get(code=options.unit)
    translation.activate("zh-hans")
    ledger = options.kind.startswith("ledger")
    export = jobs.export_request(
        user=user,
        kind=options.kind,
        title=f"bench {options.kind} {unit.code} {options.period}",
        filename=f"bench-{options.kind}-{unit.code}.{EXTENSIONS[options.kind.split('_')[1]]}",
        units=[unit],
        params={"unit": unit.pk, "period": options.period} if ledger else {"query": f"unit={unit.pk}"},
    )
    start, cpu = time.perf_counter(), time.process_time()
    work_off("bench")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    export.refresh_from_db()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"{options.kind} {unit.code} {options.period}: {export.status}, {export.rows} rows, "
        f"{(export.size or 0) / 1e6:.1f} MB, wall {wall:.1f} s, CPU {cpu:.1f} s, max RSS {rss} MB"
    )


if __name__ == "__main__":
    main()
