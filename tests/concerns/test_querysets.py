"""The questions asked of concerns again and again: Concern.objects.active() and .overdue(today)."""

import datetime

import pytest

from fieldwork.models import Concern
from tests.factories import ConcernFactory


@pytest.fixture
def every_status(clock, team_a):
    """One concern per status, all a day past due, and one open concern due today."""
    yesterday = clock.today - datetime.timedelta(days=1)
    concerns = {
        status: ConcernFactory(
            unit=team_a,
            status=status,
            due_date=yesterday,
            resolution="Done." if status in Concern.DONE_STATUSES else "",
        )
        for status in Concern.Status.values
    }
    concerns["due_today"] = ConcernFactory(unit=team_a, status=Concern.Status.OPEN, due_date=clock.today)
    return concerns


def test_active_is_open_or_in_progress(every_status, django_assert_num_queries):
    with django_assert_num_queries(1):
        active = set(Concern.objects.active())
    assert active == {every_status["open"], every_status["in_progress"], every_status["due_today"]}


def test_overdue_is_active_and_due_before_today(clock, every_status, django_assert_num_queries):
    with django_assert_num_queries(1):
        overdue = set(Concern.objects.overdue(clock.today))
    assert overdue == {every_status["open"], every_status["in_progress"]}
    # Due today is not overdue yet; tomorrow it is.
    assert every_status["due_today"] in Concern.objects.overdue(clock.today + datetime.timedelta(days=1))


@pytest.mark.parametrize("size", [1, 10])
def test_overdue_is_one_query_at_any_size(clock, team_a, size, django_assert_num_queries):
    for _ in range(size):
        ConcernFactory(unit=team_a, due_date=clock.today - datetime.timedelta(days=3))
    with django_assert_num_queries(1):
        assert len(Concern.objects.overdue(clock.today)) == size


def test_they_chain_with_the_scope(clock, every_status, cadre_a, cadre_b_other_team):
    assert set(Concern.objects.visible_to(cadre_a).overdue(clock.today)) == {
        every_status["open"],
        every_status["in_progress"],
    }
    assert not Concern.objects.visible_to(cadre_b_other_team).active().exists()
    assert not Concern.objects.active().visible_to(cadre_b_other_team).exists()
