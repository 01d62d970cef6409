"""The overdue workbook: title row, bold frozen headers, real dates, every filtered row, in the active language."""

import datetime

import pytest

from fieldwork.display import display_name
from tests.factories import FollowUpActionFactory
from tests.overdue.helpers import CSV_URL, XLSX_URL, ago, concern, csv_rows, xlsx_book

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_xlsx_has_bold_frozen_headers_real_dates_and_chinese(client_for, team_a, leader_branch, cadre_a):
    item = concern(team_a, days_ago=4, owner=cadre_a, title="变电站照明不足")
    concern(team_a, days_ago=2, title="=1+1")
    FollowUpActionFactory(concern=item, owner=cadre_a, due_date=ago(1), description="更换灯具")

    response = client_for(leader_branch).get(XLSX_URL)

    assert response["Content-Disposition"] == 'attachment; filename="overdue-2026-06-15.xlsx"'
    book = xlsx_book(response)
    concerns_sheet, actions_sheet = book.worksheets
    assert [sheet.title for sheet in book.worksheets] == ["Overdue concerns", "Overdue actions"]
    header = [cell.value for cell in concerns_sheet[2]]
    assert header == [
        "Reference",
        "Title",
        "Unit",
        "Owner",
        "Due date",
        "Working days overdue",
        "Status",
        "Due date estimated",
        "Supervised",
        "Public channel",
    ]
    assert all(cell.font.bold for cell in concerns_sheet[2])
    assert concerns_sheet.freeze_panes == "A3"
    assert int(concerns_sheet.column_dimensions["B"].width) == 48  # XlsxWriter adds its padding
    first = [cell.value for cell in concerns_sheet[3]]
    assert first[:3] == [item.reference, "变电站照明不足", "Team A"]
    assert first[3] == display_name(cadre_a)
    assert first[4] == datetime.datetime(2026, 6, 11)  # a date cell, not text
    assert first[5:] == [2, "Open", None, None, None]  # working days: Friday, Monday; not estimated
    formula_like = concerns_sheet.cell(row=4, column=2)
    assert formula_like.value == "=1+1" and formula_like.data_type == "s"
    assert concerns_sheet.max_row == 4
    assert [cell.value for cell in actions_sheet[2]][1] == "Action"
    assert [cell.value for cell in actions_sheet[3]][:2] == [item.reference, "更换灯具"]
    assert actions_sheet.freeze_panes == "A3"


def test_xlsx_exports_every_filtered_row_across_pages(settings, client_for, team_a, leader_branch, cadre_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    owned = [concern(team_a, days_ago=days, owner=cadre_a) for days in (6, 5, 4)]
    concern(team_a, days_ago=3)  # nobody's: filtered out by the owner

    book = xlsx_book(client_for(leader_branch).get(XLSX_URL, {"owner": cadre_a.pk}))

    references = [row[0] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert references == [c.reference for c in owned]


def test_export_headers_follow_the_active_language(monkeypatch, client_for, cadre_a):
    # The catalogue is filled in later; mark each header with the language active when it is
    # translated, to show the streamed export translates in the request's language.
    from django.utils import translation

    from fieldwork.exports import overdue

    monkeypatch.setattr(overdue, "_", lambda text: f"{translation.get_language()}:{text}")

    response = client_for(cadre_a).get(CSV_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert csv_rows(response)[0][:2] == ["zh-hans:Type", "zh-hans:Reference"]
