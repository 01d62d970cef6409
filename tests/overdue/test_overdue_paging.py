"""Paging the overdue page: capped counts, every row once, a malformed cursor is the first page."""

import pytest

from fieldwork import paging
from tests.overdue.helpers import URL, concern

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_counts_are_capped(monkeypatch, client_for, team_a, leader_branch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for days in range(5):
        concern(team_a, days_ago=days + 1)

    response = client_for(leader_branch).get(URL)

    assert "3+ overdue concerns" in response.content.decode()
    assert len(response.context["concerns"]) == 5  # the cap bounds the count, not the page


def test_keyset_paging_walks_every_row_once(settings, client_for, team_a, leader_branch):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    # Created most overdue first, so creation order is the expected order; three share a due date
    # and straddle a page boundary.
    expected = [concern(team_a, days_ago=days).pk for days in (9, 7, 7, 7, 3)]
    client = client_for(leader_branch)

    seen, query, pages = [], "", 0
    while True:
        response = client.get(f"{URL}?{query}")
        seen += [c.pk for c in response.context["concerns"]]
        pages += 1
        query = response.context["concerns_next"]
        if not query:
            break
        assert "concerns_after=" in query and "page=" not in query

    assert pages == 3
    assert seen == expected


def test_malformed_cursor_shows_the_first_page(client_for, team_a, leader_branch):
    first = concern(team_a, days_ago=2)

    response = client_for(leader_branch).get(URL, {"concerns_after": "yesterday.x", "actions_after": "9"})

    assert response.status_code == 200
    assert [c.pk for c in response.context["concerns"]] == [first.pk]
