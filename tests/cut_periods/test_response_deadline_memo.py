"""The response limit is remembered per day for the calendar in force, and forgotten when it changes."""

import datetime

import pytest

from fieldwork import rollups, workdays
from fieldwork.models import CalendarDay

D = datetime.date
pytestmark = pytest.mark.clock(2026, 1, 20, 9)


def test_a_calendar_change_moves_a_remembered_deadline(db):
    thursday = D(2026, 1, 15)
    assert rollups.response_deadline(thursday) == D(2026, 1, 19)  # Friday, then Monday
    assert rollups.response_deadline(thursday) == D(2026, 1, 19)  # remembered
    holidays = {D(2026, 1, 1): (False, "元旦"), D(2026, 1, 16): (False, "x")}
    workdays.calendar_load(year=2026, days=holidays, source="notice")
    assert rollups.response_deadline(thursday) == D(2026, 1, 20)


def test_a_day_saved_in_the_admin_moves_it_too(db):
    thursday = D(2026, 1, 15)
    assert rollups.response_deadline(thursday) == D(2026, 1, 19)
    CalendarDay.objects.create(date=D(2026, 1, 19), is_working_day=False, note="x", source=CalendarDay.Source.NOTICE)
    assert rollups.response_deadline(thursday) == D(2026, 1, 20)


def test_remembering_gives_the_days_counting_gives(db):
    calendar = workdays.calendar()
    for offset in range(60):
        day = D(2026, 1, 1) + datetime.timedelta(days=offset)
        for n in (0, 2, 7, -3):
            assert calendar.add_working_days(day, n) == calendar._add_working_days(day, n)
