"""Data rows written straight into an XlsxWriter worksheet's row file, with the very XML its public
write_* methods would give.

Why: in constant-memory mode XlsxWriter spends about 6 µs on each cell written through
write_string/write_number/write_datetime (a decorator that tries A1 notation, the dimension checks,
a cell tuple stored then read back, the format lookups and XML escapes, one file write per cell),
most of the overdue export's time. Here one row is one string, column references and format
indexes are worked out once, a repeated short text is escaped once, a repeated date converted
once — about a quarter of the time (docs/benchmarks.md).

What stays XlsxWriter's: the title and header rows, the sheet's settings, and the last row of each
sheet, which goes through the public methods so that it is flushed at close as before and the cell
formats get their indexes in the same order. tests/exports_speed/test_sheet_rows.py checks that
the files are the same byte for byte. Written against XlsxWriter 3.3.1 (pinned): its private row
writer (_write_single_row, previous_row, the dim_* bounds) is what this takes over.
"""

from __future__ import annotations

import datetime
import math
import re

from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# Anything XlsxWriter's _escape_control_characters would change: a literal _xHHHH_, a control
# character, U+FFFE or U+FFFF. Texts without any (nearly all) skip its three substitutions.
CONTROL = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
XML_SPECIAL = re.compile('["&<>\n]')
CACHED_TEXT = 48  # texts up to this length are escaped once per sheet (names, units, statuses)
CACHE_LIMIT = 100_000


class RowWriter:
    """Writes a sheet's data rows, in order, into a worksheet opened in constant-memory mode."""

    def __init__(self, sheet: Worksheet, *, text: list, number: list, date, other) -> None:
        """`text[i]` and `number[i]` are the formats of a text and of a number in column i; `date` is
        every date's format and `other` that of anything else (written as its text)."""
        self.sheet = sheet
        self.text, self.number, self.date, self.other = text, number, date, other
        self.letters = [xl_col_to_name(index) for index in range(len(text))]
        self.xf: dict = {}
        self.texts: dict[str, str] = {}
        self.dates: dict = {}
        self.started = False
        self.pending: tuple[int, list, float | None] | None = None
        self.tail = ' x14ac:dyDescent="0.25">' if sheet.excel_version == 2010 else ">"

    def row(self, number: int, values: list, *, height: float | None) -> None:
        """Row `number` (zero-based) of `values`, `height` in points or None for the default. Empty
        and None cells are left out."""
        if self.pending is not None:
            self._fast(*self.pending)
        self.pending = (number, values, height)

    def close(self) -> None:
        """The last row through XlsxWriter's own methods: it stays in the sheet's table to be flushed
        at close, as it always was."""
        if self.pending is None:
            return
        number, values, height = self.pending
        self.pending = None
        sheet = self.sheet
        if height is not None:
            sheet.set_row(number, height)
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str) and value.startswith("<r>") and value.endswith("</r>"):
                # XlsxWriter would write this as raw rich-text XML: plain fragments show it as typed.
                sheet.write_rich_string(number, index, value[:1], value[1:2], value[2:], self.text[index])
            elif isinstance(value, str):
                sheet.write_string(number, index, value, self.text[index])
            elif isinstance(value, datetime.date):
                sheet.write_datetime(number, index, value, self.date)
            elif isinstance(value, int | float):
                sheet.write_number(number, index, value, self.number[index])
            else:
                sheet.write_string(number, index, str(value), self.other)

    def _index(self, cell_format) -> int:
        # Asked at first use, as XlsxWriter asks it: the formats' order in the file depends on it.
        index = self.xf.get(cell_format)
        if index is None:
            index = self.xf[cell_format] = cell_format._get_xf_index()
        return index

    def _text(self, text: str) -> str:
        """The rest of an inline-string cell after its reference and style, as _write_cell writes it."""
        if len(text) <= CACHED_TEXT:
            cached = self.texts.get(text)
            if cached is not None:
                return cached
        original = text
        if len(text) > self.sheet.xls_strmax // 2 and _utf16_len(text) > self.sheet.xls_strmax:
            text = _utf16_truncate(text, self.sheet.xls_strmax)
        if CONTROL.search(text):
            text = self.sheet._escape_control_characters(text)
        # Always escaped: XlsxWriter writes a text that starts with <r> and ends with </r> as raw rich-text
        # XML, so a title typed that way on the public channel would break the file.
        preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
        if XML_SPECIAL.search(text):
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        xml = f' t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
        if len(original) <= CACHED_TEXT:
            if len(self.texts) >= CACHE_LIMIT:
                self.texts.clear()
            self.texts[original] = xml
        return xml

    def _date(self, value) -> str:
        number = self.dates.get(value)
        if number is None:
            number = self.dates[value] = f"{self.sheet._convert_date_time(value):.16G}"
        return number

    def _fast(self, number: int, values: list, height: float | None) -> None:
        sheet = self.sheet
        if number >= sheet.xls_rowmax:
            return  # beyond a sheet's last row: XlsxWriter refuses such cells too
        if not self.started:
            if all(value is None or value == "" for value in values):
                return  # nothing in the row: XlsxWriter writes no <row> for it
            # What the first cell of this row does through the public methods: flush the header row
            # (before the cells' formats get their indexes).
            sheet._write_single_row(number)
            self.started = True
        reference = str(number + 1)
        cells = []
        first = last = -1
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            cell = f'<c r="{self.letters[index]}{reference}" s="'
            if isinstance(value, str):
                cells.append(f'{cell}{self._index(self.text[index])}"{self._text(value)}')
            elif isinstance(value, datetime.date):
                cells.append(f'{cell}{self._index(self.date)}"><v>{self._date(value)}</v></c>')
            elif isinstance(value, int | float):
                if isinstance(value, float) and not math.isfinite(value):
                    raise TypeError(
                        "NAN/INF not supported in write_number() without 'nan_inf_to_errors' Workbook() option"
                    )
                cells.append(f'{cell}{self._index(self.number[index])}"><v>{value:.16G}</v></c>')
            else:
                cells.append(f'{cell}{self._index(self.other)}"{self._text(str(value))}')
            if last < 0:
                first = index
            last = index
        if last < 0:
            return  # nothing in the row: XlsxWriter writes no <row> for it (a height comes only with text)
        sheet.previous_row = number
        if sheet.dim_rowmax is None or number > sheet.dim_rowmax:
            sheet.dim_rowmax = number
        if sheet.dim_rowmin is None or number < sheet.dim_rowmin:
            sheet.dim_rowmin = number
        if sheet.dim_colmin is None or first < sheet.dim_colmin:
            sheet.dim_colmin = first
        if sheet.dim_colmax is None or last > sheet.dim_colmax:
            sheet.dim_colmax = last
        # _write_row's attributes: the height set_row keeps is in pixels, written back in points.
        pixels = sheet.default_row_height if height is None else int(height * 4.0 / 3.0 + 0.5)
        original = sheet.original_row_height
        if pixels != original or (pixels == original and pixels != sheet.default_row_height):
            custom = f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        else:
            custom = ""
        sheet.fh.write(f'<row r="{reference}"{custom}{self.tail}{"".join(cells)}</row>')
