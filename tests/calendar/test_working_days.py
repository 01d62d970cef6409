"""Which days are worked: the 2026 arrangement with its holiday weeks and make-up days."""

import pytest

from fieldwork import workdays
from fieldwork.models import CalendarDay
from tests.calendar.helpers import D

pytestmark = pytest.mark.django_db


def test_the_2026_arrangement_is_in_every_database():
    days = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "is_working_day"))
    # 33 days off (3 + 9 + 3 + 5 + 3 + 3 + 7) and 6 weekend days worked
    assert sum(1 for working in days.values() if not working) == 33
    assert sorted(day for day, working in days.items() if working) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).note == "春节"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # New Year's Day, a Thursday
        (D(2026, 1, 4), True),  # Sunday worked instead
        (D(2026, 2, 13), True),  # Friday before the Spring Festival
        (D(2026, 2, 14), True),  # Saturday worked instead
        (D(2026, 2, 16), False),  # Monday in the Spring Festival
        (D(2026, 2, 23), False),  # its last day, a Monday
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday worked instead
        (D(2026, 3, 7), False),  # an ordinary Saturday
        (D(2026, 4, 6), False),  # Qingming, a Monday
        (D(2026, 5, 5), False),  # Labour Day holiday, a Tuesday
        (D(2026, 5, 9), True),  # Saturday worked instead
        (D(2026, 6, 19), False),  # Dragon Boat, a Friday
        (D(2026, 9, 20), True),  # Sunday worked before National Day
        (D(2026, 9, 25), False),  # Mid-Autumn, a Friday
        (D(2026, 10, 5), False),  # National Day week, a Monday
        (D(2026, 10, 8), True),  # Thursday after it
        (D(2026, 10, 10), True),  # Saturday worked instead
        (D(2026, 10, 11), False),  # an ordinary Sunday
        (D(2027, 3, 1), True),  # a year with no rows yet: the weekday rule alone
    ],
)
def test_is_working_day(day, working):
    assert workdays.is_working_day(day) is working


def test_spring_festival_week_with_its_make_up_saturdays():
    friday = D(2026, 2, 13)
    # Saturday 14th counts, the festival (15th–23rd) does not, Saturday 28th counts again.
    assert [workdays.add_working_days(friday, n) for n in range(1, 8)] == [
        D(2026, 2, 14),
        D(2026, 2, 24),
        D(2026, 2, 25),
        D(2026, 2, 26),
        D(2026, 2, 27),
        D(2026, 2, 28),
        D(2026, 3, 2),
    ]


def test_national_day_week_with_its_make_up_sunday_and_saturday():
    friday = D(2026, 9, 18)
    assert workdays.add_working_days(friday, 1) == D(2026, 9, 20)  # the Sunday worked instead
    assert workdays.add_working_days(friday, 2) == D(2026, 9, 21)
    # Wednesday 30 September: the holiday runs 1–7 October; Saturday 10th is worked.
    wednesday = D(2026, 9, 30)
    assert [workdays.add_working_days(wednesday, n) for n in range(1, 5)] == [
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
        D(2026, 10, 12),
    ]


def test_zero_and_negative_steps():
    assert workdays.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)
    assert workdays.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert workdays.add_working_days(D(2026, 3, 2), -7) == D(2026, 2, 13)
