"""The visit list at any scope (issue 17, item 1): keyset pages, a capped count, and the concerns
counted for the rows of the page only, in a number of queries that does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fieldwork import paging
from fieldwork.models import Concern
from tests.factories import ConcernFactory, VisitFactory
from tests.visits.test_visit_list import QUERIES_VISIT_LIST

pytestmark = pytest.mark.clock(2026, 11, 20)

# the same queries as tests/visits/test_visit_list.py counts: one number, one home
QUERIES = QUERIES_VISIT_LIST


def _page_size(settings, size: int) -> None:
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": size}


def test_each_row_shows_the_concerns_entered_on_it(client_for, leader_branch, team_a, cadre_a):
    quiet = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 11, 2))
    busy = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 11, 3))
    for status in (Concern.Status.OPEN, Concern.Status.IN_PROGRESS, Concern.Status.WITHDRAWN):
        ConcernFactory(unit=team_a, visit=busy, status=status)
    ConcernFactory(unit=team_a)  # raised elsewhere, on no visit
    response = client_for(leader_branch).get(reverse("fieldwork:visit-list"))
    counts = {visit.pk: visit.concern_count for visit in response.context["rows"]}
    assert counts == {busy.pk: 3, quiet.pk: 0}


def test_the_count_beside_the_list_is_capped(client_for, leader_branch, team_a, cadre_a, monkeypatch):
    for day in range(1, 6):
        VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 11, day))
    client = client_for(leader_branch)
    response = client.get(reverse("fieldwork:visit-list"))
    assert (response.context["total"], response.context["total_capped"]) == (5, False)
    assert "5 visits" in response.content.decode()
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    response = client.get(reverse("fieldwork:visit-list"))
    assert (response.context["total"], response.context["total_capped"]) == (3, True)
    assert "3+ visits" in response.content.decode()
    filtered = client.get(reverse("fieldwork:visit-list"), {"date_from": "2026-11-05"})
    assert (filtered.context["total"], filtered.context["total_capped"]) == (1, False)


def test_keyset_pages_walk_every_visit_once_newest_first(client_for, leader_branch, team_a, cadre_a, settings):
    _page_size(settings, 2)
    made = [
        VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 11, 1 + index // 2)) for index in range(7)
    ]
    expected = sorted(made, key=lambda visit: (visit.date, visit.pk), reverse=True)
    client = client_for(leader_branch)
    seen, query, pages = [], {}, 0
    while True:
        response = client.get(reverse("fieldwork:visit-list"), query)
        pages += 1
        seen.extend(response.context["rows"])
        assert response.context["total"] == 7
        assert response.context["is_later_page"] == (pages > 1)
        if not response.context["next_query"]:
            break
        query = dict(pair.split("=", 1) for pair in response.context["next_query"].split("&"))
    assert seen == expected
    assert pages == 4
    # a cursor cut short or edited gives the first page, not an error
    response = client.get(reverse("fieldwork:visit-list"), {"after": "2026-13-01~x"})
    assert response.status_code == 200
    assert response.context["rows"] == expected[:2]


@pytest.mark.parametrize("visits", [3, 40])
def test_queries_do_not_grow_and_count_only_the_page(
    client_for, leader_company, team_a, team_b, cadre_a, visits, django_assert_num_queries
):
    for index in range(visits):
        visit = VisitFactory(unit=team_a if index % 2 else team_b, author=cadre_a)
        ConcernFactory(unit=visit.unit, visit=visit)
    client = client_for(leader_company)
    client.get(reverse("fieldwork:visit-list"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("fieldwork:visit-list"))
    assert len(queries) == QUERIES
    shown = [visit.pk for visit in response.context["rows"]]
    assert len(shown) == min(visits, 25)
    # The concerns are counted in one query over the page's visits, never joined to the whole list.
    touching_concerns = [query["sql"] for query in queries if "fieldwork_concern" in query["sql"]]
    assert len(touching_concerns) == 1
    assert all(str(pk) in touching_concerns[0] for pk in shown)
