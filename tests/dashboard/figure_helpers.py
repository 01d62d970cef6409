"""What the figure tests share: their day (15 April 2026), Q1 2026 and the figures of a unit over it."""

import datetime

from django.utils import timezone

from fieldwork import dashboard
from fieldwork.periods import Period

TZ = timezone.get_default_timezone()
TODAY = datetime.date(2026, 4, 15)
Q1 = Period.quarter(2026, 1)


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


def figures(unit, period=Q1, today=TODAY):
    return dashboard.dashboard_figures(unit=unit, period=period, today=today)
