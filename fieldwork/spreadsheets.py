"""XLSX workbooks that open ready to print, shared by the overdue export and the ledger."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024


def sheet_write(
    workbook: Workbook,
    title: str,
    headers: list[str],
    widths: list[int],
    rows: Iterable[list],
    *,
    wrap: frozenset[int] | set[int] = frozenset(),
) -> None:
    """One sheet of a write-only workbook: bold frozen header repeated on each printed page, widths
    set, A4 landscape fit to the page's width, dates as dates, text never read as a formula."""
    sheet = workbook.create_sheet(title[:31])
    # Write-only sheets take their layout before the first row.
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # openpyxl would take "=..." for a formula
            if index in wrap:
                cell.alignment = wrapped
            cells.append(cell)
        sheet.append(cells)


def workbook_response(fill: Callable[[Workbook], None], *, filename: str) -> StreamingHttpResponse:
    """A workbook as a download, made only as its body is read: fill(workbook) writes the sheets.

    A HEAD request gets the headers and never the work (fieldwork.middleware.HeadMiddleware drops
    the body unread). The workbook is written to a temporary file, so a large one stays off the
    heap, in the language of the request that asked for it.
    """
    language = translation.get_language()

    def body() -> Iterator[bytes]:
        workbook = Workbook(write_only=True)
        with translation.override(language):
            fill(workbook)
        with tempfile.TemporaryFile() as output:
            workbook.save(output)
            output.seek(0)
            while chunk := output.read(CHUNK_BYTES):
                yield chunk

    response = StreamingHttpResponse(body(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
