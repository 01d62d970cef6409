"""The sheets' data rows, written straight into XlsxWriter's row file (fieldwork/spreadsheet_rows.py),
make the very file that XlsxWriter's public write_* methods make: every part of the zip, byte for byte."""

import datetime
import decimal
import io
import zipfile

import xlsxwriter

from fieldwork.spreadsheets import (
    FIRST_ROW,
    HEADER_ROW,
    LINE_HEIGHT,
    MAX_ROW_HEIGHT,
    TITLE_ROW,
    Column,
    Formats,
    lines_needed,
    sheet_write,
)

CREATED = datetime.datetime(2026, 7, 1, 8, 0)
COLUMNS = [
    Column("Reference", 16),
    Column("Title (long text)", 30, wrap=True),
    Column("Day", 12),
    Column("Count", 8),
    Column("Rate", 10, percent=True),
    Column("Other", 12),
]
TRICKY = [
    ["FW-2026-000001", "plain", datetime.date(2026, 7, 1), 3, 0.5, None],
    ["FW-2026-000002", "a & b < c > d \"quoted\" 'single'", datetime.date(2026, 7, 1), 0, 0.0, decimal.Decimal("1.50")],
    ["", "", None, None, None, None],  # nothing in the row
    ["FW-2026-000003", "两行\n第二行，很长的中文文字" * 6, datetime.datetime(2026, 7, 2, 13, 30), True, 1, ""],
    [" leading", "trailing ", datetime.date(2026, 12, 31), -7, 0.123456789012345678, "x"],
    ["_x0041_ literal", "control \x01\x1f chars \ufffe", datetime.date(1990, 1, 1), 10**12, 1e-9, "y"],
    ["<b>tag-looking</b>", "=1+1", datetime.date(2026, 7, 1), 2.5, 0.999, datetime.time(8, 30)],
    ["FW-2026-000004", "x" * 40000, datetime.date(2026, 7, 3), 1, 0.25, None],  # cut to 32,767 characters
    ["FW-2026-000005", "短", datetime.date(2026, 7, 3), 1, 0.25, None],
    ["FW-2026-000005", "短", datetime.date(2026, 7, 3), 1, 0.25, None],  # repeated: cached text and dates
    ["FW-2026-000006", "長" * 400, None, None, None, None],  # taller than a row can be
]


def reference_sheet_write(workbook, name, title, columns, rows, *, formats) -> int:
    """sheet_write as it was, every cell through XlsxWriter's public methods."""
    sheet = workbook.add_worksheet(name[:31])
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(FIRST_ROW, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(TITLE_ROW, HEADER_ROW)
    sheet.set_row(TITLE_ROW, 20)
    sheet.write_string(TITLE_ROW, 0, title, formats.title)
    header_lines = max(lines_needed(column.header, column.width) for column in columns)
    sheet.set_row(HEADER_ROW, LINE_HEIGHT * header_lines)
    for index, column in enumerate(columns):
        sheet.write_string(HEADER_ROW, index, column.header, formats.header)
    wrapped = [(index, column.width) for index, column in enumerate(columns) if column.wrap]
    wrap_at = {index for index, _width in wrapped}
    percent = {index for index, column in enumerate(columns) if column.percent}
    number = FIRST_ROW
    for row in rows:
        lines = 1
        for index, width in wrapped:
            value = row[index]
            if isinstance(value, str) and value:
                lines = max(lines, lines_needed(value, width))
        if lines > 1:
            sheet.set_row(number, min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT))
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(number, index, value, formats.wrap if index in wrap_at else formats.plain)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(number, index, value, formats.date)
            elif isinstance(value, int | float):
                sheet.write_number(number, index, value, formats.percent if index in percent else formats.plain)
            else:
                sheet.write_string(number, index, str(value), formats.plain)
        number += 1
    sheet.autofilter(HEADER_ROW, 0, max(number - 1, HEADER_ROW), len(columns) - 1)
    return number - FIRST_ROW


def workbook_parts(write, sheets) -> dict[str, bytes]:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties({"created": CREATED})
    formats = Formats(workbook)
    counts = [write(workbook, name, "标题　单位　2026年7月", COLUMNS, rows, formats=formats) for name, rows in sheets]
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(output.getvalue())) as archive:
        return {"counts": repr(counts).encode()} | {part: archive.read(part) for part in archive.namelist()}


def assert_same_file(sheets) -> None:
    fast, reference = workbook_parts(sheet_write, sheets), workbook_parts(reference_sheet_write, sheets)
    assert fast.keys() == reference.keys()
    for part in reference:
        assert fast[part] == reference[part], part


def test_tricky_cells_make_the_same_file():
    assert_same_file([("Tricky", TRICKY)])


def test_many_sheets_with_none_one_and_many_rows_make_the_same_file():
    many = [
        [f"FW-2026-{n:06}", f"标题 {n % 7}" * (n % 5), datetime.date(2026, 7, 1 + n % 28), n, n / 1000, None]
        for n in range(500)
    ]
    assert_same_file([("Empty", []), ("One", TRICKY[:1]), ("Many", many), ("Tricky", TRICKY), ("Empty again", [])])


def test_a_sheet_whose_rows_only_are_empty_makes_the_same_file():
    assert_same_file([("Blank rows", [["", None, None, None, None, None]] * 3), ("After", TRICKY[:2])])
