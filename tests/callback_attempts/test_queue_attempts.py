"""The queue's rows show the calls that reached nobody (how many, the last day), on /callbacks/ and
my work alike, at a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fieldwork.models import CallbackAttempt
from tests.callbacks_queue.helpers import MY_WORK, URL, awaiting

pytestmark = pytest.mark.clock(2026, 12, 10, 10)
TODAY = datetime.date(2026, 12, 10)


def _calls(concern, by, *days_ago: int) -> None:
    for ago in days_ago:
        CallbackAttempt.objects.create(concern=concern, made_by=by, at=timezone.now() - datetime.timedelta(days=ago))


def _rows(response) -> dict:
    return {c.reference: (c.attempt_count, c.last_attempt_at) for c in response.context["concerns"]}


def test_the_rows_show_the_calls_made(client_for, leader_branch, cadre_a2, team_a):
    called = awaiting(team_a, due=TODAY)
    uncalled = awaiting(team_a, due=TODAY)
    _calls(called, cadre_a2, 3, 1, 1)
    response = client_for(leader_branch).get(URL)
    last = timezone.now() - datetime.timedelta(days=1)
    assert _rows(response) == {called.reference: (3, last), uncalled.reference: (0, None)}
    assert "3 calls reached nobody, last 9 Dec 2026" in response.content.decode()


def test_my_work_queue_shows_them_too(client_for, cadre_a2, team_a):
    called = awaiting(team_a, due=TODAY)
    _calls(called, cadre_a2, 0)
    response = client_for(cadre_a2).get(MY_WORK)
    assert [(c.reference, c.attempt_count) for c in response.context["callbacks"]] == [(called.reference, 1)]
    assert "1 call reached nobody" in response.content.decode()


@pytest.mark.parametrize("page", [URL, MY_WORK])
def test_query_count_does_not_grow_with_rows_or_calls(page, client_for, leader_branch, cadre_a2, team_a):
    client = client_for(cadre_a2 if page == MY_WORK else leader_branch)
    client.get(page)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    for day in range(2):
        _calls(awaiting(team_a, due=TODAY - datetime.timedelta(days=day + 1)), cadre_a2, 1)
    small = count()
    for day in range(30):
        _calls(awaiting(team_a, due=TODAY - datetime.timedelta(days=day + 3)), cadre_a2, 1, 2, 3)
    large = count()
    assert small == large
