"""Benchmark of the file writers of the overdue export and the monthly ledger (issue 16, item 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench .venv/bin/python scripts/bench_xlsx.py [--runs 3]

Needs a database loaded with `seed_demo` (the million-visit one: `--visits 1000000 --units 5000`;
docs/benchmarks.md, "Demo data"). As the root's leader (`leader_jt`) it times the work a background
export does, by calling the writers themselves: overdue_workbook into a temporary file through
workbook_write, overdue_csv read to the end, ledger_workbook of a branch (`b10`, or the first branch
when there is no b10) and of the root for July 2026, and the printable ledger (ledger_page_write) of
both. Each: wall seconds, this process's CPU seconds, queries, bytes; median of `--runs` warm runs
(the root ledgers once each: they are the long ones; `--skip-root-ledger` leaves them out). It ends
with one small export through the view (a GET of a substation's overdue XLSX, made at once).
The connection is set read-only: nothing is written to the database.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import update_last_login  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from fieldwork.exports.ledger import ledger_workbook  # noqa: E402
from fieldwork.exports.overdue import overdue_csv, overdue_workbook  # noqa: E402
from fieldwork.exports.printable import ledger_page_write  # noqa: E402
from fieldwork.filters import OverdueFilter  # noqa: E402
from fieldwork.models import Unit  # noqa: E402
from fieldwork.periods import Period  # noqa: E402
from fieldwork.spreadsheets import workbook_write  # noqa: E402


def timed(work: Callable[[object], None]) -> tuple[float, float, int, int]:
    """Wall seconds, this process's CPU seconds, queries and bytes of `work(output)` writing a temporary
    file (the machine is shared: CPU is the work done here, wall adds the database and any wait for a core)."""
    with tempfile.TemporaryFile() as output, CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        work(output)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = output.tell()
    return elapsed, cpu, len(queries), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-root-ledger", action="store_true")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    options = parser.parse_args()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.AXES_ENABLED = False
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    with connection.cursor() as cursor:  # any write would now fail instead of touching the data
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    setup_test_environment()
    translation.activate(settings.LANGUAGE_CODE)
    user = get_user_model().objects.get(username="leader_jt")
    root = Unit.objects.visible_to(user).order_by("depth", "path").first()
    branch = (
        Unit.objects.filter(code="b10").first()
        or Unit.objects.filter(parent=root, kind=Unit.Kind.BRANCH).order_by("code").first()
    )
    today = timezone.localdate()
    july = Period.month(2026, 7)
    chosen = OverdueFilter(None, user=user).selection()

    def overdue_xlsx(output) -> None:
        workbook_write(
            output, lambda workbook, formats: overdue_workbook(workbook, formats, user=user, today=today, chosen=chosen)
        )

    def overdue_text(output) -> None:
        for line in overdue_csv(user=user, today=today, chosen=chosen):
            output.write(line.encode())

    def ledger(unit: Unit) -> Callable[[object], None]:
        def work(output) -> None:
            workbook_write(
                output,
                lambda workbook, formats: ledger_workbook(
                    workbook, formats, unit=unit, period=july, user=user, today=today
                ),
            )

        return work

    def printable(unit: Unit) -> Callable[[object], None]:
        def work(output) -> None:
            ledger_page_write(output, unit=unit, period=july, user=user, today=today)

        return work

    cases = [
        ("root overdue XLSX (overdue_workbook)", overdue_xlsx, options.runs),
        ("root overdue CSV (overdue_csv)", overdue_text, options.runs),
        (f"branch {branch.code} ledger XLSX 2026-07 (ledger_workbook)", ledger(branch), options.runs),
        (f"branch {branch.code} printable ledger 2026-07 (ledger_page_write)", printable(branch), options.runs),
    ]
    if not options.skip_root_ledger:
        cases.append(("root ledger XLSX 2026-07 (ledger_workbook)", ledger(root), 1))
        cases.append(("root printable ledger 2026-07 (ledger_page_write)", printable(root), 1))
    print(f"database {settings.DATABASES['default']['NAME']}, today {today}, load {os.getloadavg()[0]:.1f}")
    print("| work | wall s (median) | CPU s | runs | size MB | queries |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, work, runs in cases:
        if options.only not in name:
            continue
        if runs > 1:
            timed(work)  # warm
        results = [timed(work) for _ in range(runs)]
        wall, cpu = statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {runs} | {results[0][3] / 1e6:.1f} | {results[0][2]} |", flush=True)

    if options.only:
        return
    client = Client()
    client.force_login(user)
    small = Unit.objects.filter(path__startswith=branch.path, kind=Unit.Kind.SUBSTATION).order_by("code").first()
    if small is not None:
        path = f"/overdue/export.xlsx?unit={small.pk}"
        client.get(path)
        walls = []
        for _ in range(options.runs):
            start = time.perf_counter()
            response = client.get(path)
            size = (
                sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
            )
            walls.append(time.perf_counter() - start)
        print(
            f"| GET {path} ({small.code}, made at once) | {statistics.median(walls):.3f} | | {options.runs} "
            f"| {size / 1e6:.2f} | |"
        )
    print(f"load after: {os.getloadavg()[0]:.1f} ({datetime.datetime.now(datetime.UTC):%H:%M} UTC)")


if __name__ == "__main__":
    main()
