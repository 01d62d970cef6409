"""Working days: the one place where deadlines are counted.

Chinese units count due dates, response limits and days overdue in working days, and the
official calendar moves them every year: public holidays fall on weekdays, and weekend days are
worked instead (调休, e.g. Saturday 14 February 2026 before the Spring Festival). A day is a
working day when its weekday is in settings.FIELDWORK["WORKING_WEEKDAYS"] (Monday is 0), unless a
CalendarDay row says otherwise.

Every other module counts with these functions:
- `add_working_days(start, n)`: the n-th working day after `start` (due dates, response limits);
- `working_days_between(start, end)`: the working days after `start` up to and including `end`;
- `days_overdue(due_date, today)`: working days past a due date, 0 if not past.

The calendar has a few dozen rows a year. It is read once and kept until a CalendarDay is saved
or deleted in this process, `load_holidays` runs, or a web request starts (so every request of
every app server reads the calendar as it stands, with at most one small query, and only when
the request counts across days).
"""

from __future__ import annotations

import bisect
import datetime
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import CalendarDay

DATA_DIR = Path(__file__).resolve().parent / "data"
_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class _Calendar:
    exceptions: dict[datetime.date, bool]  # date → is a working day
    dates: list[datetime.date]  # the same dates, sorted, for range look-ups


_local = threading.local()


def clear_cache(**_kwargs) -> None:
    """Forget the calendar read so far; the next count reads it again."""
    _local.calendar = None


def _calendar() -> _Calendar:
    calendar = getattr(_local, "calendar", None)
    if calendar is None:
        exceptions = dict(CalendarDay.objects.order_by("date").values_list("date", "is_working_day"))
        calendar = _Calendar(exceptions=exceptions, dates=sorted(exceptions))
        _local.calendar = calendar
    return calendar


def working_weekdays() -> frozenset[int]:
    """The weekdays (Monday is 0) that are working days unless the calendar says otherwise."""
    days = frozenset(int(day) for day in settings.FIELDWORK["WORKING_WEEKDAYS"])
    if not days or not days <= set(range(7)):
        raise ImproperlyConfigured('FIELDWORK["WORKING_WEEKDAYS"] must name at least one weekday, 0 (Monday) to 6.')
    return days


def is_working_day(day: datetime.date) -> bool:
    exception = _calendar().exceptions.get(day)
    if exception is not None:
        return exception
    return day.weekday() in working_weekdays()


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (before it when n is negative); `start` itself for 0.

    A concern raised on Friday 13 February 2026 with 7 working days is due on Monday 2 March:
    the make-up Saturdays 14 and 28 February count, the Spring Festival holiday does not.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day, left = start, abs(n)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


def _weekday_count(start: datetime.date, end: datetime.date, weekdays: frozenset[int]) -> int:
    """Days in (start, end] whose weekday is in `weekdays`; start < end."""
    total = (end - start).days
    weeks, rest = divmod(total, 7)
    count = weeks * len(weekdays)
    first = start.weekday()
    count += sum(1 for offset in range(1, rest + 1) if (first + offset) % 7 in weekdays)
    return count


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative (counted back) if end < start.

    add_working_days(start, working_days_between(start, end)) == end whenever end is a working day.
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    weekdays = working_weekdays()
    count = _weekday_count(start, end, weekdays)
    calendar = _calendar()
    dates = calendar.dates
    for index in range(bisect.bisect_right(dates, start), bisect.bisect_right(dates, end)):
        day = dates[index]
        usual = day.weekday() in weekdays
        if calendar.exceptions[day] != usual:
            count += 1 if calendar.exceptions[day] else -1
    return count


def days_overdue(due_date: datetime.date, today: datetime.date) -> int:
    """Working days past the due date up to today; 0 when the due date is today or later.

    Due on Thursday 11 June 2026, today Monday 15 June: 2 (Friday and Monday).
    """
    if today <= due_date:
        return 0  # no calendar needed: most pages show concerns that are not overdue
    return max(0, working_days_between(due_date, today))


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day after `day`."""
    return add_working_days(day, 1)


# --- loading a year's arrangement -------------------------------------------------------------------


def holiday_file(year: int) -> Path:
    """The arrangement shipped with the app for a year (fieldwork/data/holidays-<year>.json)."""
    return DATA_DIR / f"holidays-{year}.json"


def holidays_read(path: Path) -> dict:
    """A year's arrangement as {date: (is_working_day, note)}, checked.

    The file (see fieldwork/data/holidays-2026.json) lists `holidays`, each a name and a range of
    days off (from, to), and `working_days`, each a weekend date that is worked and its note.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    days: dict[datetime.date, tuple[bool, str]] = {}
    for holiday in data.get("holidays", []):
        first = datetime.date.fromisoformat(holiday["from"])
        last = datetime.date.fromisoformat(holiday.get("to", holiday["from"]))
        if last < first:
            raise ValueError(f"{holiday['name']}: {last} is before {first}")
        day = first
        while day <= last:
            days[day] = (False, holiday["name"])
            day += _ONE_DAY
    for working in data.get("working_days", []):
        day = datetime.date.fromisoformat(working["date"])
        if day in days:
            raise ValueError(f"{day} is both a holiday and a working day")
        days[day] = (True, working.get("note", ""))
    return {"year": data.get("year"), "source": data.get("source", ""), "days": days}


def holidays_load(days: dict[datetime.date, tuple[bool, str]], *, model=CalendarDay) -> tuple[int, int]:
    """Write a year's days into the calendar, idempotently: (created, updated).

    `model` lets the data migration pass its historical model. Rows already as in the file are
    left alone, so a second load changes nothing.
    """
    created = updated = 0
    with transaction.atomic():
        existing = {row.date: row for row in model.objects.filter(date__in=list(days))}
        for day, (working, note) in sorted(days.items()):
            row = existing.get(day)
            if row is None:
                model.objects.create(date=day, is_working_day=working, note=note)
                created += 1
            elif row.is_working_day != working or row.note != note:
                row.is_working_day, row.note = working, note
                row.save(update_fields=["is_working_day", "note"])
                updated += 1
    clear_cache()
    return created, updated


# Connected as the module loads: the cache exists only once this module is loaded.
post_save.connect(clear_cache, sender=CalendarDay, dispatch_uid="workdays-calendar-saved")
post_delete.connect(clear_cache, sender=CalendarDay, dispatch_uid="workdays-calendar-deleted")
request_started.connect(clear_cache, dispatch_uid="workdays-request-started")
