"""Every year in use has its days off and says where they come from; calendar_status and send_reminders
say so, and keep the calendar a year ahead."""

import io

import pytest
from django.core.management import call_command

from fieldwork import workdays
from fieldwork.models import CalendarDay
from tests.calendar.helpers import D

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2027, 1, 1), False),  # New Year's Day 2027, a Friday
        (D(2027, 2, 5), False),  # Spring Festival's eve, a Friday
        (D(2027, 2, 8), False),  # the festival's Monday
        (D(2027, 2, 9), False),
        (D(2027, 2, 10), False),
        (D(2027, 2, 11), True),  # the estimate knows no more than the statutory days
        (D(2027, 10, 4), False),  # National Day week
        (D(2026, 1, 4), True),  # Sunday worked before New Year's Day 2026 (the notice)
        (D(2026, 2, 14), True),  # Saturday worked before the Spring Festival 2026
        (D(2025, 10, 8), False),  # 2025, from the notice the holidays package carries
        (D(2025, 9, 28), True),  # a Sunday worked in 2025
    ],
)
def test_holidays_of_every_year_in_use_are_days_off(day, working):
    assert workdays.is_working_day(day) is working


def test_each_year_says_where_its_days_come_from():
    sources = dict(CalendarDay.objects.filter(date__year__in=[2025, 2026, 2027]).values_list("date__year", "source"))
    assert sources == {2025: "package", 2026: "notice", 2027: "estimated"}
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("is_working_day", flat=True)) == {False}


def test_calendar_status_prints_what_each_year_rests_on(clock):
    out = io.StringIO()
    call_command("calendar_status", stdout=out)
    text = out.getvalue()
    assert "2026: State Council notice: 33 day(s) off, 6 weekend day(s) worked." in text
    assert "2025: Holiday package (from the notice)" in text
    assert "2027: Estimated (no notice yet): 19 day(s) off, 0 weekend day(s) worked." in text
    assert "WARNING: the next 90 days (to 2027-03-01) reach 2027" in text


def test_send_reminders_says_so_every_run_and_keeps_the_calendar_a_year_ahead(clock):
    clock.set(2027, 6, 1)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2027-06-01", stdout=out)
    assert "WARNING" in out.getvalue() and "2027" in out.getvalue()
    assert set(CalendarDay.objects.filter(date__year=2028).values_list("source", flat=True)) == {"estimated"}
    assert not workdays.is_working_day(D(2028, 1, 26))  # Spring Festival 2028, estimated
