"""/callbacks/: the whole subtree's queue for leaders, filters, keyset pages, scope, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.callbacks_queue.helpers import URL, awaiting

pytestmark = pytest.mark.clock(2026, 12, 10)
TODAY = datetime.date(2026, 12, 10)


def _refs(response) -> list[str]:
    return [concern.reference for concern in response.context["concerns"]]


def test_a_leader_sees_the_subtree_oldest_first(client_for, leader_branch, team_a, sub_a, team_b, other_branch):
    a = awaiting(team_a, due=TODAY)
    b = awaiting(sub_a, due=TODAY - datetime.timedelta(days=3))
    c = awaiting(team_b, due=TODAY + datetime.timedelta(days=1))
    awaiting(other_branch, due=TODAY)
    response = client_for(leader_branch).get(URL)
    assert response.status_code == 200
    assert _refs(response) == [b.reference, a.reference, c.reference]
    assert "3 concerns awaiting a callback" in response.content.decode()


def test_filters_unit_late_and_dates(client_for, leader_branch, team_a, team_b):
    late = awaiting(team_a, due=TODAY - datetime.timedelta(days=1))
    today = awaiting(team_a, due=TODAY)
    other = awaiting(team_b, due=TODAY - datetime.timedelta(days=7))
    client = client_for(leader_branch)
    assert _refs(client.get(URL, {"unit": team_a.pk})) == [late.reference, today.reference]
    assert _refs(client.get(URL, {"overdue": "1"})) == [other.reference, late.reference]
    assert _refs(client.get(URL, {"due_from": TODAY.isoformat()})) == [today.reference]
    assert _refs(client.get(URL, {"due_to": (TODAY - datetime.timedelta(days=2)).isoformat()})) == [other.reference]


def test_bad_filter_values_are_shown_beside_the_field_not_a_500(client_for, leader_branch, team_a, other_branch):
    awaiting(team_a, due=TODAY)
    client = client_for(leader_branch)
    response = client.get(URL, {"due_from": "31/12/2026", "unit": other_branch.pk})
    assert response.status_code == 200
    assert response.context["filter"].form.errors.keys() == {"due_from", "unit"}
    assert len(response.context["concerns"]) == 1  # the invalid values select nothing away


def test_outside_scope_is_neither_listed_nor_reachable(client_for, cadre_b_other_team, team_a, team_b):
    theirs = awaiting(team_a, due=TODAY)
    mine = awaiting(team_b, due=TODAY)
    client = client_for(cadre_b_other_team)
    assert _refs(client.get(URL)) == [mine.reference]
    assert _refs(client.get(URL, {"unit": team_a.pk})) == [mine.reference]  # ignored, not obeyed
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, team_a):
    assert client.get(URL).status_code == 302


def test_keyset_pages(client_for, settings, leader_branch, team_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    made = [awaiting(team_a, due=TODAY - datetime.timedelta(days=day)) for day in (5, 4, 4, 1, 0)]
    client = client_for(leader_branch)
    seen, params = [], {}
    while True:
        response = client.get(URL, params)
        seen += _refs(response)
        following = response.context["next"]
        if not following:
            break
        params = dict(pair.split("=", 1) for pair in following.split("&"))
    assert seen == [concern.reference for concern in sorted(made, key=lambda c: (c.callback_due, c.pk))]


def test_mine_keeps_my_own_units(client_for, leader_branch, cadre_a2, team_a, branch):
    awaiting(team_a, due=TODAY)
    on_branch = awaiting(branch, due=TODAY)
    assert _refs(client_for(leader_branch).get(URL, {"mine": "1"})) == [on_branch.reference]


def test_query_count_does_not_grow(client_for, leader_branch, team_a, team_b):
    client = client_for(leader_branch)
    client.get(URL)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"overdue": "1"}).status_code == 200
        return len(queries)

    for day in range(2):
        awaiting(team_a, due=TODAY - datetime.timedelta(days=day + 1), raised_by_contact="139")
    small = count()
    for day in range(40):
        awaiting(team_b, due=TODAY - datetime.timedelta(days=day + 1), raised_by_contact="139")
    large = count()
    assert small == large
    assert large <= 10
