"""Counting working days reads the calendar once, whatever the span."""

import datetime

import pytest

from fieldwork import workdays
from fieldwork.models import Concern
from tests.calendar.helpers import D, raise_concern

pytestmark = pytest.mark.django_db


# session, user, memberships, concern, the calendar, and the page's own reads (timeline, actions,
# callbacks, calls that reached nobody, extension requests, history, principles, owners to
# reassign to …)
QUERIES_CONCERN_DETAIL = 19  # one query loads every photo of the concern, its actions' included (tests/photos)


def test_counting_reads_the_calendar_once_whatever_the_span(django_assert_num_queries):
    with django_assert_num_queries(1):
        near = workdays.add_working_days(D(2026, 12, 1), 5)
        far = workdays.add_working_days(D(2026, 12, 1), 600)
        assert workdays.rests_on_estimate(D(2026, 12, 1), far)
        assert not workdays.rests_on_estimate(D(2026, 12, 1), near)
        assert workdays.working_days_between(D(2025, 1, 1), D(2028, 12, 31)) > 700


@pytest.mark.parametrize("span", [5, 600])
def test_a_page_that_counts_working_days_runs_the_same_queries_whatever_the_span(
    clock, client_for, team_a, cadre_a, span, django_assert_num_queries
):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.URGENT)
    Concern.objects.filter(pk=concern.pk).update(due_date=D(2026, 12, 1) - datetime.timedelta(days=span))
    client = client_for(cadre_a)
    client.get(concern.get_absolute_url())
    with django_assert_num_queries(QUERIES_CONCERN_DETAIL):
        page = client.get(concern.get_absolute_url())
    assert "data-overdue" in page.content.decode()
