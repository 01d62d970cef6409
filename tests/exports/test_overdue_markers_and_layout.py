"""The overdue exports carry what the page shows: the 督办 and 群众监督 markers, a title row naming the
unit, the day and who exported it, frozen headers, a filter row, wrapped text tall enough to read."""

import datetime

import pytest
from django.utils import timezone

from fieldwork.display import display_name
from fieldwork.models import Concern
from tests.overdue.helpers import CSV_URL, XLSX_URL, concern, csv_rows, xlsx_book

pytestmark = pytest.mark.clock(2026, 6, 15)

LONG_TITLE = "变电站值班室照明不足，夜间巡视时看不清仪表读数，" * 4


def test_xlsx_carries_markers_title_filter_and_row_heights(client_for, branch, team_a, leader_branch):
    supervised = concern(team_a, days_ago=5, title=LONG_TITLE, source=Concern.Source.PUBLIC)
    Concern.objects.filter(pk=supervised.pk).update(supervised_at=timezone.now())
    plain = concern(team_a, days_ago=3, title="短标题")

    book = xlsx_book(client_for(leader_branch).get(XLSX_URL))
    sheet = book.worksheets[0]

    title = sheet["A1"].value
    assert branch.name in title and "15 Jun 2026" in title and display_name(leader_branch) in title
    header = [cell.value for cell in sheet[2]]
    assert header[-2:] == ["Supervised", "Public channel"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == [supervised.reference, plain.reference]
    assert rows[0][-2:] == ("Supervised", "Public channel")
    assert rows[1][-2:] == (None, None)
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(row=2, column=len(header)).column_letter}4"
    assert sheet.print_title_rows == "$1:$2"
    long_cell = sheet["B3"]
    assert long_cell.alignment.wrap_text
    assert sheet.row_dimensions[3].height >= 4 * 15  # a hundred Chinese characters in a column of 48
    assert sheet.row_dimensions[4].height in (None, 15)
    assert sheet["E3"].is_date and sheet["E3"].value == datetime.datetime(2026, 6, 10)
    actions = book.worksheets[1]
    assert actions.freeze_panes == "A3" and actions.auto_filter.ref.startswith("A2:")


def test_xlsx_title_names_the_filtered_unit(client_for, team_a, leader_branch):
    concern(team_a, days_ago=2)
    book = xlsx_book(client_for(leader_branch).get(XLSX_URL, {"unit": team_a.pk}))
    assert "Team A" in book.worksheets[0]["A1"].value


def test_csv_carries_the_markers(client_for, team_a, leader_branch):
    marked = concern(team_a, days_ago=5, source=Concern.Source.PUBLIC)
    Concern.objects.filter(pk=marked.pk).update(supervised_at=timezone.now())
    concern(team_a, days_ago=3)

    rows = csv_rows(client_for(leader_branch).get(CSV_URL))

    assert rows[0][-2:] == ["Supervised", "Public channel"]
    assert rows[1][-2:] == ["Supervised", "Public channel"]
    assert rows[2][-2:] == ["", ""]
