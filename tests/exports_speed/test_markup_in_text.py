"""Text that looks like XlsxWriter's rich-text markup (<r>…</r>) is written as the text typed: a title
raised that way on the public channel must not break the workbook or inject cells."""

import io

import openpyxl

from fieldwork.spreadsheets import Column, sheet_write, workbook_write

TYPED = '<r><t>injected</t></r><r><t xml:space="preserve">"</t></r>'


def test_rich_text_markup_is_written_as_typed():
    output = io.BytesIO()
    workbook_write(
        output,
        lambda workbook, formats: sheet_write(
            workbook, "Sheet", "Title", [Column("Title", 30, wrap=True)], [[TYPED], ["<r>x</r>"]], formats=formats
        ),
    )

    sheet = openpyxl.load_workbook(io.BytesIO(output.getvalue())).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [TYPED, "<r>x</r>"]
