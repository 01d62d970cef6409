"""My work: nothing out of scope, signed in only, GET only, the same queries at any size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork import selectors
from fieldwork.models import Concern
from tests.factories import FollowUpActionFactory, UnitFactory, VisitFactory
from tests.my_work.helpers import TODAY, URL, mine, on

pytestmark = pytest.mark.clock(2026, 6, 15)


def _work_for(owner, branch, size: int) -> None:
    for index in range(size):
        unit = UnitFactory(parent=branch)
        for due in (-3 - index, 2, 20 + index):
            concern = mine(unit, owner, due)
            FollowUpActionFactory(concern=concern, owner=owner, due_date=on(due))
        mine(unit, None, index, source=Concern.Source.PUBLIC)
        mine(
            unit,
            owner,
            -9,
            status=Concern.Status.CLOSED,
            resolution="Done.",
            closed_at=timezone.now() - datetime.timedelta(days=2),
        )
        VisitFactory(unit=unit, author=owner)


def test_concerns_out_of_scope_are_left_out(team_b, cadre_a):
    # Owned, but in a unit the person no longer belongs to: scope wins.
    mine(team_b, cadre_a, -1)

    work = selectors.my_work(user=cadre_a, today=TODAY)

    assert work["overdue"].items == []


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(client_for, cadre_a):
    assert client_for(cadre_a).post(URL).status_code == 405


def test_query_count_does_not_grow(client_for, branch, leader_branch):
    client = client_for(leader_branch)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    client.get(URL)  # the first request after signing in also saves the session
    _work_for(leader_branch, branch, 2)
    small = count()
    _work_for(leader_branch, branch, 30)
    large = count()

    assert small == large
    # 12, + the working-day calendar (read once a request) + the extension requests awaiting a leader
    # + the callback queue (its capped count and its first rows) + my contact points (联系点) + my paired
    # workers (结对)
    assert large <= 18
