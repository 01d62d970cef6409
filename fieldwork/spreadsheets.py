"""XLSX workbooks that open ready to read and print, shared by the overdue export and the ledger.

Written with XlsxWriter in constant-memory mode: each row goes to disk as it is written, so a
workbook of any size keeps a flat heap, and it writes about 3.7 times as fast as openpyxl's write-only
mode with the same formatting (docs/benchmarks.md, scripts/bench_xlsx.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import xlsxwriter
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from xlsxwriter.workbook import Workbook

from .spreadsheet_rows import RowWriter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_HEIGHT = 409  # the most a spreadsheet row can be
A4 = 9
TITLE_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 2


@dataclass(frozen=True)
class Column:
    """A column: its header, its width in characters, whether long text wraps, whether it is a rate."""

    header: str
    width: int
    wrap: bool = False
    percent: bool = False


def text_width(text: str) -> int:
    """Columns a text takes: a Chinese character is as wide as two Latin ones.

    UTF-8 gives that in C speed: a CJK character is three bytes, an ASCII one is one.
    """
    return (len(text.encode("utf-8")) + len(text)) // 2


def lines_needed(text: str, width: int) -> int:
    per_line = max(width - 1, 1)
    if "\n" not in text:  # most texts: one line of text, without the generator's cost
        return max(1, -(-text_width(text) // per_line))
    return sum(max(1, -(-text_width(line) // per_line)) for line in text.split("\n"))


def title_line(*parts: str) -> str:
    """The title row of a sheet: what it is, of which unit, for when, and who exported it."""
    return "　".join(part for part in parts if part)


class Formats:
    """The cell formats of one workbook, made once (XlsxWriter keeps each format it is given)."""

    def __init__(self, workbook: Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
        self.plain = workbook.add_format({"valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.percent = workbook.add_format({"num_format": "0.0%", "valign": "top"})


def sheet_write(
    workbook: Workbook,
    name: str,
    title: str,
    columns: list[Column],
    rows: Iterable[list],
    *,
    formats: Formats,
) -> int:
    """One sheet: a title row, a bold frozen header with a filter, repeated on each printed A4
    landscape page; dates as dates, rates as percentages, text never read as a formula, long text
    wrapped in rows tall enough to show it. Returns the number of rows written."""
    sheet = workbook.add_worksheet(name[:31])
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.freeze_panes(FIRST_ROW, 0)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(TITLE_ROW, HEADER_ROW)
    sheet.set_row(TITLE_ROW, 20)
    sheet.write_string(TITLE_ROW, 0, title, formats.title)
    header_lines = max(lines_needed(column.header, column.width) for column in columns)
    sheet.set_row(HEADER_ROW, LINE_HEIGHT * header_lines)
    for index, column in enumerate(columns):
        sheet.write_string(HEADER_ROW, index, column.header, formats.header)
    wrapped = [(index, column.width) for index, column in enumerate(columns) if column.wrap]
    writer = RowWriter(
        sheet,
        text=[formats.wrap if column.wrap else formats.plain for column in columns],
        number=[formats.percent if column.percent else formats.plain for column in columns],
        date=formats.date,
        other=formats.plain,
    )
    number = FIRST_ROW
    for row in rows:
        lines = 1
        for index, width in wrapped:
            value = row[index]
            if isinstance(value, str) and value:
                lines = max(lines, lines_needed(value, width))
        writer.row(number, row, height=min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT) if lines > 1 else None)
        number += 1
    writer.close()
    sheet.autofilter(HEADER_ROW, 0, max(number - 1, HEADER_ROW), len(columns) - 1)
    return number - FIRST_ROW


def workbook_write(output, fill: Callable[[Workbook, Formats], None]) -> None:
    """Write a workbook to a binary file object: fill(workbook, formats) writes the sheets, row by row
    (constant memory: each row goes to disk as it is written)."""
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    fill(workbook, Formats(workbook))
    workbook.close()


def in_language(lines: Iterator[str]) -> Iterator[str]:
    """A streamed body made, after the view has returned, in the language of the request."""
    language = translation.get_language()

    def stream() -> Iterator[str]:
        with translation.override(language):
            yield from lines

    return stream()


def workbook_response(fill: Callable[[Workbook, Formats], None], *, filename: str) -> StreamingHttpResponse:
    """A workbook as a download, made only as its body is read: fill(workbook, formats) writes the sheets.

    A HEAD request gets the headers and never the work (fieldwork.middleware.HeadMiddleware drops
    the body unread). The workbook is written to a temporary file, row by row, so a large one
    stays off the heap, in the language of the request that asked for it.
    """
    language = translation.get_language()

    def body() -> Iterator[bytes]:
        with tempfile.TemporaryFile() as output:
            with translation.override(language):
                workbook_write(output, fill)
            output.seek(0)
            while chunk := output.read(CHUNK_BYTES):
                yield chunk

    response = StreamingHttpResponse(body(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
