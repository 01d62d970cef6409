"""The calendar is read once per request and an edit is seen at once."""

import pytest

from fieldwork import workdays
from fieldwork.models import CalendarDay
from tests.calendar.helpers import D

pytestmark = pytest.mark.django_db


def test_the_calendar_is_read_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        for n in range(60):
            workdays.add_working_days(D(2026, 1, 1), n)
        workdays.working_days_between(D(2026, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(0):
        assert workdays.days_overdue(D(2026, 5, 1), D(2026, 4, 1)) == 0


def test_not_overdue_needs_no_calendar(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert workdays.days_overdue(D(2026, 5, 1), D(2026, 5, 1)) == 0


def test_an_edit_is_seen_at_once():
    monday = D(2026, 3, 9)
    assert workdays.is_working_day(monday)
    day = CalendarDay.objects.create(date=monday, is_working_day=False, note="停电检修")
    assert not workdays.is_working_day(monday)
    day.is_working_day = True
    day.save()
    assert workdays.is_working_day(D(2026, 3, 9))
    CalendarDay.objects.filter(date=D(2026, 10, 10)).delete()
    assert not workdays.is_working_day(D(2026, 10, 10))  # back to an ordinary Saturday


def test_each_request_reads_the_calendar_as_it_stands(client):
    assert workdays.is_working_day(D(2026, 3, 10))
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 3, 10), is_working_day=False)])  # no signal
    assert workdays.is_working_day(D(2026, 3, 10))  # what this process read earlier
    # A request starts (the way another server's change is seen): the calendar is read afresh.
    assert client.get("/healthz").status_code == 200
    assert not workdays.is_working_day(D(2026, 3, 10))
