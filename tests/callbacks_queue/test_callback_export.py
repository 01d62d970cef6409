"""The queue's export: a workbook of exactly the filtered rows, contacts only where the reader sees
them; a large one is prepared by the task queue instead of made by the GET."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.callbacks_queue.helpers import URL, XLSX_URL, awaiting, workbook_rows

pytestmark = pytest.mark.clock(2026, 12, 10)
TODAY = datetime.date(2026, 12, 10)


def test_workbook_holds_the_filtered_rows(client_for, leader_branch, team_a, team_b):
    late = awaiting(team_a, due=TODAY - datetime.timedelta(days=3), raised_by_name="刘师傅", raised_by_contact="139")
    awaiting(team_a, due=TODAY + datetime.timedelta(days=1))
    awaiting(team_b, due=TODAY - datetime.timedelta(days=1))
    response = client_for(leader_branch).get(XLSX_URL, {"unit": team_a.pk, "overdue": "1"})
    assert response.status_code == 200
    rows = workbook_rows(response)
    body = [row for row in rows if row and row[0] and str(row[0]).startswith("FW-")]
    assert [row[0] for row in body] == [late.reference]
    assert body[0][-2:] == ["刘师傅", "139"]
    assert body[0][6] == 3  # working days late: Mon 7 → Thu 10


def test_no_contact_for_a_cadre_who_may_not_see_it(client_for, cadre_a2, team_a):
    awaiting(team_a, due=TODAY, raised_by_name="刘师傅", raised_by_contact="13900001111")
    rows = workbook_rows(client_for(cadre_a2).get(XLSX_URL))
    assert not any("13900001111" in str(cell) for row in rows for cell in row)


def test_query_count_does_not_grow(client_for, leader_branch, team_a):
    client = client_for(leader_branch)
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(XLSX_URL)
            workbook_rows(response)
        return len(queries)

    awaiting(team_a, due=TODAY)
    small = count()
    for _ in range(30):
        awaiting(team_a, due=TODAY)
    assert count() == small
