"""The ledger workbook prints well: a title row with the unit, the period and who exported it, repeated on
each A4 landscape page; rates as percentages; wrapped text with rows tall enough to show it."""

import io

import pytest
from openpyxl import load_workbook

from fieldwork.display import display_name
from tests.factories import ConcernFactory, FeedbackFactory, VisitFactory
from tests.ledger.helpers import ledger_url, moment

LONG = "职工反映食堂饭菜价格偏高，菜品单一，希望增加夜班职工的热饭供应。" * 4


def workbook_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_ledger_sheets_have_title_filter_print_setup_and_row_heights(settings, client_for, leader_branch, team_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "MIN_CASES": 1}
    import datetime

    VisitFactory(unit=team_a, date=datetime.date(2026, 7, 3), summary=LONG)
    concern = ConcernFactory(unit=team_a, title="食堂", raised_at=moment(10), resolution=LONG)
    FeedbackFactory(concern=concern, date=datetime.date(2026, 7, 20))

    book = workbook_of(client_for(leader_branch).get(ledger_url(team_a, "fieldwork:ledger-xlsx")))

    for sheet in book.worksheets:
        title = sheet["A1"].value
        assert "Team A" in title and "2026-07" in title and display_name(leader_branch) in title
        assert sheet.freeze_panes == "A3"
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A2:")
    visits = book["Visits"]
    summary_cell = visits["H3"]
    assert summary_cell.value == LONG and summary_cell.alignment.wrap_text
    assert visits.row_dimensions[3].height >= 5 * 15
    concerns = book["Concerns"]
    assert concerns["K3"].alignment.wrap_text and concerns.row_dimensions[3].height >= 5 * 15
    rates = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=3)}
    satisfaction = rates["Satisfaction rate"]
    assert isinstance(satisfaction.value, int | float) and 0 <= satisfaction.value <= 1
    assert "%" in satisfaction.number_format
