"""Benchmark of the overdue export and the monthly ledger on the million-visit data (issue 16, items 3-4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fw_bench .venv/bin/python scripts/bench_xlsx.py [--runs 3]

Needs a database loaded with `seed_demo --visits 1000000 --units 5000` (docs/benchmarks.md, "Demo
data"). Signed in as the root's leader (`leader_jt`), it downloads through Django's test Client,
whole body read: the root's overdue XLSX and CSV, a branch's (`b10`) ledger XLSX for July 2026 and
the root's ledger XLSX for July 2026 (once: it is the long one). Then it compares the two writers on
the same rows (the root's overdue concerns, read once into memory), with the same formatting: our
XlsxWriter sheet (constant_memory) against openpyxl's write-only mode with styled cells. Sessions
are signed cookies and the session is read-only, so nothing is written to the database.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
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
from django.utils import timezone  # noqa: E402

from fieldwork.models import Unit  # noqa: E402
from fieldwork.spreadsheets import Column, lines_needed, title_line  # noqa: E402


def download(client: Client, path: str) -> tuple[float, int, int, float]:
    """Wall seconds, bytes, queries and this process's CPU seconds (the machine is shared: the CPU
    time is the work done here, the wall time adds the database and any wait for a core)."""
    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        size = sum(len(chunk) for chunk in response.streaming_content)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, size, len(queries), cpu


def writer_rows() -> tuple[list[Column], list[list]]:
    from fieldwork.exports import overdue
    from fieldwork.filters import OverdueFilter

    user = get_user_model().objects.get(username="leader_jt")
    chosen = OverdueFilter(None, user=user).selection()
    concern_rows, _actions = overdue.overdue_rows(user=user, today=timezone.localdate(), chosen=chosen)
    headers, _action_headers = overdue.overdue_headers()
    columns = [Column(h, w, wrap=i == 1) for i, (h, w) in enumerate(zip(headers, overdue.CONCERN_WIDTHS, strict=True))]
    return columns, list(concern_rows)


def with_xlsxwriter(columns, rows) -> int:
    import xlsxwriter

    from fieldwork.spreadsheets import Formats, sheet_write

    with tempfile.TemporaryFile() as output:
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False})
        sheet_write(workbook, "Overdue", title_line("Overdue", "jt"), columns, rows, formats=Formats(workbook))
        workbook.close()
        return output.tell()


def with_openpyxl(columns, rows) -> int:
    """The same sheet in openpyxl's write-only mode; it cannot set row heights there (no row_dimensions)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Overdue")
    sheet.freeze_panes = "A3"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9
    sheet.print_title_rows = "1:2"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{len(rows) + 2}"
    bold, top = Font(bold=True), Alignment(vertical="top")
    wrapped = Alignment(wrap_text=True, vertical="top")
    title = WriteOnlyCell(sheet, value=title_line("Overdue", "jt"))
    title.font = bold
    sheet.append([title])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.alignment = bold, wrapped
        header.append(cell)
    sheet.append(header)
    for row in rows:
        for index, column in enumerate(columns):  # the height is computed though it cannot be written
            if column.wrap and isinstance(row[index], str):
                lines_needed(row[index], column.width)
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"
            cell.alignment = wrapped if columns[index].wrap else top
            cells.append(cell)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.tell()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-root-ledger", action="store_true")
    options = parser.parse_args()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.AXES_ENABLED = False
    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    with connection.cursor() as cursor:  # any write would now fail instead of touching the data
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="leader_jt"))
    branch = Unit.objects.get(code="b10")
    cases = [
        ("root overdue XLSX", "/overdue/export.xlsx", options.runs),
        ("root overdue CSV", "/overdue/export.csv", options.runs),
        ("branch b10 ledger XLSX, 2026-07", f"/reports/ledger.xlsx?unit={branch.pk}&period=2026-07", options.runs),
    ]
    if not options.skip_root_ledger:
        cases.append(("root ledger XLSX, 2026-07", "/reports/ledger.xlsx?period=2026-07", 1))
    print("| export | median s | CPU s | runs | size MB | queries |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, path, runs in cases:
        download(client, path) if runs > 1 else None  # warm
        results = [download(client, path) for _ in range(runs)]
        median, cpu = statistics.median(r[0] for r in results), statistics.median(r[3] for r in results)
        size, queries = results[0][1] / 1e6, results[0][2]
        print(f"| {name} | {median:.2f} | {cpu:.2f} | {runs} | {size:.1f} | {queries} |", flush=True)
    columns, rows = writer_rows()
    print(f"\nwriters, {len(rows)} rows of the root's overdue concerns, same formatting:")
    for name, write in (("xlsxwriter constant_memory", with_xlsxwriter), ("openpyxl write_only", with_openpyxl)):
        times = []
        for _ in range(options.runs):
            start = time.process_time()
            write(columns, rows)
            times.append(time.process_time() - start)
        print(f"| {name} | {statistics.median(times):.2f} CPU s |", flush=True)


if __name__ == "__main__":
    main()
