"""The overdue CSV: every filtered row across pages, formulas neutralised, streamed as an attachment."""

import pytest

from tests.factories import FollowUpActionFactory
from tests.overdue.helpers import CSV_URL, URL, ago, concern, csv_rows

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_csv_holds_every_filtered_row_across_pages(settings, client_for, team_a, team_b, leader_branch):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    items = [concern(team_a, days_ago=days, title=f"问题 {days}") for days in (5, 4, 3, 2, 1)]
    concern(team_b, days_ago=6)  # filtered out by the unit
    FollowUpActionFactory(concern=items[0], due_date=ago(3), description="电话回访，说明情况")
    client = client_for(leader_branch)

    page = client.get(URL, {"unit": team_a.pk})
    rows = csv_rows(client.get(CSV_URL, {"unit": team_a.pk}))

    assert len(page.context["concerns"]) == 2
    assert rows[0] == [
        "Type",
        "Reference",
        "Title",
        "Unit",
        "Owner",
        "Due date",
        "Working days overdue",
        "Concern status",
        "Due date estimated",
        "Supervised",
        "Public channel",
    ]
    concern_rows = [row for row in rows[1:] if row[0] == "Concern"]
    assert [row[1] for row in concern_rows] == [c.reference for c in items]
    assert concern_rows[0] == [
        "Concern",
        items[0].reference,
        "问题 5",
        "Team A",
        "Unassigned",
        "2026-06-10",
        "3",  # working days: Thursday, Friday, Monday
        "Open",
        "",  # counted within 2026, whose notice is in the calendar
        "",
        "",
    ]
    assert rows[-1][0] == "Follow-up action"
    assert rows[-1][1:3] == [items[0].reference, "电话回访，说明情况"]
    assert rows[-1][6] == "1"  # due Friday 12 June: one working day, Monday


def test_csv_neutralises_formulas(client_for, team_a, leader_branch):
    concern(team_a, days_ago=1, title='=HYPERLINK("http://evil")')

    rows = csv_rows(client_for(leader_branch).get(CSV_URL))

    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


def test_csv_is_a_streamed_attachment(client_for, cadre_a):
    response = client_for(cadre_a).get(CSV_URL)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="overdue-2026-06-15.csv"'
