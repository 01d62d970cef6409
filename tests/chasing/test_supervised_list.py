"""The supervised list: scoped, filtered, paged, refused to who may not see it, flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fieldwork.models import ConcernEvent
from tests.chasing.ladder_helpers import D, K, owned, supervise
from tests.factories import ConcernFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.clock(2026, 9, 14, 7, 30)
SUPERVISED = reverse("fieldwork:concern-supervised-list")


@pytest.fixture
def spread(team_a, sub_a, team_b, other_branch, cadre_a, cadre_b_other_team):
    return {
        "a": supervise(owned(team_a, cadre_a, due=D(2026, 9, 1), title="Team A late")),
        "sub": supervise(owned(sub_a, cadre_a, due=D(2026, 9, 2), title="Sub A late")),
        "b": supervise(owned(team_b, cadre_b_other_team, due=D(2026, 9, 3), title="Team B late")),
        "other": supervise(owned(other_branch, None, due=D(2026, 9, 4), title="Dispatch late")),
        "plain": owned(team_a, cadre_a, due=D(2026, 9, 5), title="Late, not supervised"),
        "closed": supervise(
            owned(team_a, cadre_a, due=D(2026, 9, 6), title="Closed", status="closed", resolution="Done.")
        ),
    }


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [concern.title for concern in response.context["rows"]]


def test_supervised_list_is_scoped(
    clock, client_for, spread, leader_branch, leader_other_branch, cadre_a, cadre_b_other_team
):
    clock.set(2026, 10, 13)
    assert listed(client_for(leader_branch).get(SUPERVISED)) == ["Team A late", "Sub A late", "Team B late"]
    assert listed(client_for(leader_other_branch).get(SUPERVISED)) == ["Dispatch late"]
    assert listed(client_for(cadre_a).get(SUPERVISED)) == ["Team A late", "Sub A late"]
    assert listed(client_for(cadre_b_other_team).get(SUPERVISED)) == ["Team B late"]


def test_supervised_list_filters(clock, client_for, spread, leader_branch, team_a, other_branch):
    clock.set(2026, 10, 13)
    client = client_for(leader_branch)
    assert listed(client.get(SUPERVISED, {"unit": team_a.pk})) == ["Team A late", "Sub A late"]
    assert listed(client.get(SUPERVISED, {"unit": team_a.pk, "finished": "on"})) == [
        "Team A late",
        "Sub A late",
        "Closed",
    ]
    # a unit outside the reader's scope is ignored, and the scope still holds
    assert listed(client.get(SUPERVISED, {"unit": other_branch.pk})) == ["Team A late", "Sub A late", "Team B late"]
    html = client.get(SUPERVISED).content.decode()
    # Team A's due 1 September, today Tuesday 13 October: 26 working days (with Sunday 20 September
    # and Saturday 10 October worked, the Mid-Autumn and National Day holidays not counted)
    assert "Under supervision" in html and "26 working days overdue" in html
    assert 'href="/concerns/supervised/"' in html  # in the main navigation


def test_supervised_list_pages(clock, client_for, spread, leader_branch, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    client = client_for(leader_branch)
    first = client.get(SUPERVISED)
    assert listed(first) == ["Team A late", "Sub A late"]
    after = first.context["next_query"]
    assert listed(client.get(SUPERVISED + "?" + after)) == ["Team B late"]


def test_supervised_list_refusals(client, client_for, cadre_a):
    response = client.get(SUPERVISED)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(cadre_a).post(SUPERVISED).status_code == 405
    assert "No concern is under supervision in your units." in client_for(cadre_a).get(SUPERVISED).content.decode()


def test_supervised_list_queries_do_not_grow(client_for, branch, leader_branch, cadre_a, settings):
    client = client_for(leader_branch)
    client.get(SUPERVISED)

    def make(n):
        for index in range(n):
            unit = UnitFactory(parent=branch)
            concern = supervise(owned(unit, UserFactory() if index % 2 else None, due=D(2026, 9, 1)))
            ConcernFactory(unit=unit)  # not supervised
            if index % 3 == 0:
                ConcernEvent.objects.create(concern=concern, kind=K.NOTICE)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SUPERVISED, {"unit": branch.pk}).status_code == 200
        return len(queries)

    make(3)
    small = count()
    make(40)
    assert count() == small
    assert small <= 12
