"""What is overdue: active concerns and unfinished actions past their due date, in order, in the
configured time zone."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import selectors
from fieldwork.models import Concern
from tests.factories import FollowUpActionFactory
from tests.overdue.helpers import TODAY, URL, ago, concern

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_concerns_overdue_are_open_or_in_progress_past_due(team_a, leader_branch):
    late_open = concern(team_a, days_ago=1)
    later_in_progress = concern(team_a, days_ago=10, status=Concern.Status.IN_PROGRESS)
    concern(team_a, days_ago=0)  # due today: not yet overdue
    concern(team_a, days_ago=-3)
    for status in (Concern.Status.RESOLVED, Concern.Status.CLOSED, Concern.Status.WITHDRAWN):
        concern(team_a, days_ago=20, status=status)

    rows = list(selectors.concerns_overdue(user=leader_branch, today=TODAY))

    assert rows == [later_in_progress, late_open]


def test_actions_overdue_are_not_done_past_due(team_a, leader_branch, cadre_a):
    parent = concern(team_a, days_ago=-30)
    late = FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=ago(2))
    later = FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=ago(9))
    FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=ago(9), done_at=timezone.now())
    FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=TODAY)

    rows = list(selectors.actions_overdue(user=leader_branch, today=TODAY))

    assert rows == [later, late]


def test_same_due_date_is_ordered_by_id(team_a, leader_branch):
    first, second, third = (concern(team_a, days_ago=4) for _ in range(3))
    oldest = concern(team_a, days_ago=5)

    rows = list(selectors.concerns_overdue(user=leader_branch, today=TODAY))

    assert rows == [oldest, first, second, third]


def test_days_overdue_counted_in_the_configured_time_zone(clock, client_for, team_a, leader_branch):
    # 17:30 UTC on the 15th is already 01:30 on the 16th in Shanghai.
    clock.now = datetime.datetime(2026, 6, 15, 17, 30, tzinfo=datetime.UTC)
    due_on_15th = concern(team_a, days_ago=0)

    response = client_for(leader_branch).get(URL)

    assert [c.pk for c in response.context["concerns"]] == [due_on_15th.pk]
    assert response.context["concerns"][0].days_overdue_count == 1
