"""Paging the concern list: every row once, a bad cursor is the first page, a capped count, flat queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fieldwork import paging
from fieldwork.models import Concern
from tests.concerns.list_helpers import LIST, references
from tests.factories import ConcernFactory, principle


def make_concerns(n, team_a, sub_a, cadre_a):
    for i in range(n):
        concern = ConcernFactory(
            unit=sub_a if i % 2 else team_a,
            owner=cadre_a if i % 3 else None,
            source=Concern.Source.PUBLIC if i % 5 == 0 else Concern.Source.VISIT,
            due_date=timezone.localdate() - datetime.timedelta(days=i % 4),
        )
        concern.principles.set([principle("pragmatism")])


@pytest.mark.parametrize("sort", ["raised", "-raised", "due", "-due", "status", "priority", "-priority"])
def test_keyset_pages_cover_every_row_once(client_for, team_a, cadre_a, settings, sort):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 3}
    today = timezone.localdate()
    now = timezone.now()
    statuses = ["open", "in_progress", "resolved"]
    for n in range(8):
        status = statuses[n % 3]
        ConcernFactory(
            unit=team_a,
            priority=["urgent", "normal", "long_term"][n % 2],
            status=status,
            resolution="Done." if status == "resolved" else "",
            due_date=today + datetime.timedelta(days=n % 3),  # ties on the sort key
            raised_at=now - datetime.timedelta(hours=n // 2),
        )
    client = client_for(cadre_a)
    seen, address, pages = [], f"{LIST}?sort={sort}", 0
    while True:
        response = client.get(address)
        pages += 1
        seen += references(response)
        found = re.search(r'href="\?([^"]+)" rel="next"', response.content.decode())
        if not found:
            break
        address = f"{LIST}?" + found.group(1).replace("&amp;", "&")
        assert "page=" not in address and "after=" in address
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert "First page" in response.content.decode()


def test_a_bad_cursor_is_the_first_page(client_for, spread, cadre_a):
    client = client_for(cadre_a)
    first = references(client.get(LIST))
    for cursor in ("garbage", "2026-01-01~x", "~", "2026-13-45T00:00:00+00:00~1", "2026-01-01T00:00:00~1"):
        response = client.get(LIST, {"after": cursor})
        assert response.status_code == 200 and references(response) == first


def test_the_count_is_capped(client_for, team_a, cadre_a, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for _ in range(5):
        ConcernFactory(unit=team_a)
    page = client_for(cadre_a).get(LIST).content.decode()
    assert "3+ concerns" in page


@pytest.mark.parametrize("params", [{}, {"status": "open", "overdue": "yes", "q": "Concern", "sort": "due"}])
def test_first_page_runs_the_same_queries_at_10_and_100_rows(
    client_for, team_a, sub_a, cadre_a, leader_branch, params, django_assert_num_queries
):
    def queries(user) -> int:
        client = client_for(user)
        client.get(LIST)  # warm the session
        with CaptureQueriesContext(connection) as context:
            response = client.get(LIST, {"unit": team_a.pk, **params})
        assert response.status_code == 200 and references(response)
        return len(context)

    make_concerns(10, team_a, sub_a, cadre_a)
    small = {user: queries(user) for user in (cadre_a, leader_branch)}
    make_concerns(90, team_a, sub_a, cadre_a)
    for user, count in small.items():
        client = client_for(user)
        client.get(LIST)
        with django_assert_num_queries(count):
            assert client.get(LIST, {"unit": team_a.pk, **params}).status_code == 200
    # a search lists the scope's units by id, one query more (views.concern_lists._counted)
    assert max(small.values()) <= (13 if "q" in params else 12)
