"""The ledger as a workbook: one sheet each with rows and real dates, in Chinese when asked, formulas as text."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.factories import ConcernFactory
from tests.ledger.helpers import CONTACT, ledger_url, moment


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_workbook_has_one_sheet_each_with_rows_and_dates(client_for, leader_branch, team_a, ledger_data):
    book = workbook_of(client_for(leader_branch).get(ledger_url(team_a, "fieldwork:ledger-xlsx")))
    assert book.sheetnames == ["Summary", "Visits", "Concerns", "Follow-up actions", "Callbacks"]
    visits = list(book["Visits"].iter_rows(min_row=2, values_only=True))  # row 1 is the title
    assert visits[0][:3] == ("Date", "Unit", "Form of visit")
    assert [row[3] for row in visits[1:]] == ["Canteen", "Sub A yard"]
    assert isinstance(visits[1][0], datetime.datetime) and visits[1][0].date() == datetime.date(2026, 7, 3)
    concerns = list(book["Concerns"].iter_rows(min_row=2, values_only=True))
    assert concerns[0][0] == "Reference"
    titles = [row[3] for row in concerns[1:]]
    assert titles == ["Carried from May", "Flickering lights", "Secret matter"]
    by_title = {row[3]: row for row in concerns[1:]}
    assert by_title["Flickering lights"][5] == "Zhao Min"
    assert by_title["Secret matter"][5] == "Anonymous"
    assert by_title["Flickering lights"][7] == datetime.datetime(2026, 8, 9)
    actions = list(book["Follow-up actions"].iter_rows(min_row=2, values_only=True))
    assert actions[1][:2] == (ledger_data.reference, "Replace the ballast")
    callbacks = list(book["Callbacks"].iter_rows(min_row=2, values_only=True))
    assert callbacks[1][0] == ledger_data.reference and callbacks[1][4] == "Much better now"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["Visits"] == 2 and summary["Concerns raised"] == 2
    assert summary["Resolution rate"] == "too few to compare"
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3"
        assert sheet["A2"].font.b
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.column_dimensions["A"].width > 8
    every_cell = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert CONTACT not in every_cell and "Hidden Person" not in every_cell
    assert "Other team matter" not in every_cell and "Closed in May" not in every_cell


@pytest.mark.django_db
def test_workbook_speaks_chinese_when_asked(client_for, leader_branch, team_a, ledger_data):
    response = client_for(leader_branch).get(
        ledger_url(team_a, "fieldwork:ledger-xlsx"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    book = workbook_of(response)
    assert {"走访", "诉求", "跟进措施"} <= set(book.sheetnames)
    assert next(book["诉求"].iter_rows(min_row=2, values_only=True))[:2] == ("编号", "单位")


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text(client_for, leader_branch, team_a):
    ConcernFactory(unit=team_a, title="=HYPERLINK(1)", raised_at=moment(10))
    book = workbook_of(client_for(leader_branch).get(ledger_url(team_a, "fieldwork:ledger-xlsx")))
    cell = book["Concerns"]["D3"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"
