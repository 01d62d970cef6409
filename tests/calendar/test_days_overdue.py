"""Days overdue are working days, across holidays."""

import datetime

import pytest

from fieldwork import workdays
from fieldwork.models import Concern
from tests.calendar.helpers import D
from tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def naive_count(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end], one day at a time: what working_days_between must equal."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += workdays.is_working_day(day)
    return count


def test_days_overdue_across_a_holiday():
    # Due on the eve of National Day, looked at on Friday 9 October: Thursday 8th and Friday 9th.
    assert workdays.days_overdue(D(2026, 9, 30), D(2026, 10, 9)) == 2
    # Due on the Friday before the Spring Festival, looked at on Tuesday 24 February.
    assert workdays.days_overdue(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert workdays.days_overdue(D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert workdays.days_overdue(D(2026, 2, 13), D(2026, 2, 1)) == 0


def test_concern_days_overdue_counts_working_days(team_a):
    concern = ConcernFactory(unit=team_a, due_date=D(2026, 9, 30))
    assert concern.days_overdue(D(2026, 10, 7)) == 0  # the whole holiday: not a working day late yet
    assert concern.days_overdue(D(2026, 10, 12)) == 4  # 8, 9, 10 and 12 October
    concern.status = Concern.Status.RESOLVED
    assert concern.days_overdue(D(2026, 10, 12)) == 0


def test_working_days_between_matches_counting_one_day_at_a_time():
    starts = [D(2025, 12, 20) + datetime.timedelta(days=n) for n in range(0, 400, 3)]
    for start in starts:
        for length in (0, 1, 2, 5, 6, 7, 8, 13, 30, 61):
            end = start + datetime.timedelta(days=length)
            assert workdays.working_days_between(start, end) == naive_count(start, end), (start, end)
            assert workdays.working_days_between(end, start) == -naive_count(start, end)
            if workdays.is_working_day(end) and length:
                assert workdays.add_working_days(start, workdays.working_days_between(start, end)) == end
