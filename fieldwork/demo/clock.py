"""Time in the demo: the clock that turns moments into the database's text, and the domain's calendar
read by day numbers.

Moments are "local seconds" since midnight of the first day, in the site's time zone, and are
turned into UTC text through lookup tables (formatting millions of datetimes is slow). Days are
the clock's day numbers (0 is the first day).
"""

from __future__ import annotations

import calendar
import datetime as dt
from types import SimpleNamespace

from .. import ladder, workdays
from ..management.commands.send_reminders import CRON_LINE
from ..services.concerns import callback_window, default_due_date

DAY = 86400
HOUR = 3600


def _cron_time(line: str) -> int:
    minute, hour = line.split()[:2]
    return int(hour) * HOUR + int(minute) * 60


# When send_reminders runs each day (07:30), as the cron line it gives the README has it.
LADDER_RUN = _cron_time(CRON_LINE)


class Clock:
    def __init__(self, *, today: dt.date, months: int, tz: dt.tzinfo, ts_suffix: str) -> None:
        self.today = today
        self.start = _months_before(today, months) + dt.timedelta(days=1)
        self.ndays = (today - self.start).days + 1
        self.today_index = self.ndays - 1
        self.now = self.today_index * 86400 + 12 * 3600  # noon today, local: "now" for the data
        horizon = self.ndays + 1200
        days = [self.start + dt.timedelta(days=d) for d in range(-1, horizon)]
        self.days = days
        self.dates = [d.isoformat() for d in days]
        self.years = [d.year for d in days]
        self.offsets = [int(dt.datetime.combine(d, dt.time(12), tzinfo=tz).utcoffset().total_seconds()) for d in days]
        self.hms = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{ts_suffix}" for s in range(86400)]
        # date(day) and year(day): looked up by day number (-1 too) in a dict's own getter, not a method
        # of ours, as they are asked millions of times; an unknown day is a KeyError.
        numbers = range(-1, horizon)
        self.date = dict(zip(numbers, self.dates, strict=True)).__getitem__  # type: ignore[method-assign]
        self.year = dict(zip(numbers, self.years, strict=True)).__getitem__  # type: ignore[method-assign]
        if len(set(self.offsets)) == 1:  # no daylight saving time (Asia/Shanghai): the quick way
            self.ts = _fixed_offset_ts(self.dates, self.hms, 86400 - self.offsets[0])  # type: ignore[method-assign]

    def ts(self, local: float) -> str:
        """The UTC text of a local moment."""
        secs = int(local)
        day, second = divmod(secs - self.offsets[secs // 86400 + 1] + 86400, 86400)
        return self.dates[day] + self.hms[second]

    def date(self, day: int) -> str:
        """The date's text of a day number (replaced in __init__ by a quicker look-up)."""
        return self.dates[day + 1]

    def year(self, day: int) -> int:
        """The year of a day number (replaced in __init__ by a quicker look-up)."""
        return self.years[day + 1]

    def day(self, day: int) -> dt.date:
        """The date of a day number."""
        return self.days[day + 1] if -1 <= day < len(self.days) - 1 else self.start + dt.timedelta(days=day)

    def number(self, date: dt.date) -> int:
        """The day number of a date."""
        return (date - self.start).days


def _fixed_offset_ts(dates: list[str], hms: list[str], shift: int):
    """Clock.ts for a time zone without daylight saving time: called for every row, so its tables are
    the function's own defaults, not attributes looked up each time."""

    def ts(local: float, dates=dates, hms=hms, shift=shift) -> str:
        secs = int(local) + shift
        return dates[secs // 86400] + hms[secs % 86400]

    return ts


class DemoCalendar:
    """The domain's own calendar rules (fieldwork.workdays, the due dates of services.concerns, the
    ladder's days of fieldwork.ladder), asked by day number and remembered: the demo asks the same few
    hundred questions millions of times.

    Made in the process that talks to the database, before the generator forks: the calendar is
    read here, once (workdays.calendar()), and the child process only counts.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        workdays.calendar()
        self._working: dict[int, bool] = {}
        self._add: dict[tuple[int, int], int] = {}
        self._due: dict[tuple[str, int], int] = {}
        self._rung: dict[tuple[str, int, int], int] = {}
        self._days: dict[tuple[bool, int, int], int] = {}
        self._reminded: dict[int, int] = {}
        self._window: dict[tuple[str, bool, int], tuple[int | None, int]] = {}

    def is_working(self, day: int) -> bool:
        found = self._working.get(day)
        if found is None:
            found = self._working[day] = workdays.is_working_day(self.clock.day(day))
        return found

    def add(self, day: int, n: int) -> int:
        """workdays.add_working_days: the n-th working day after `day` (before it if n < 0)."""
        found = self._add.get((day, n))
        if found is None:
            if n > 1 or n < -1:  # the n-th is the (n - 1)-th after the first: one day's walk, then remembered
                step = 1 if n > 0 else -1
                found = self.add(self.add(day, step), n - step)
            else:
                clock = self.clock
                found = clock.number(workdays.add_working_days(clock.day(day), n))
            self._add[day, n] = found
        return found

    def due(self, priority: str, day: int) -> int:
        """services.concerns.default_due_date of a concern of that priority raised (or reopened) that day."""
        found = self._due.get((priority, day))
        if found is None:
            clock = self.clock
            date = default_due_date(priority=priority, raised_on=clock.day(day))
            found = self._due[priority, day] = clock.number(date)
        return found

    def callback_window(self, source: str, contact: bool, day: int) -> tuple[int | None, int]:
        """services.concerns.callback_window of a concern of that source, with a contact or not, resolved
        that day: (the day it joins the callback queue, or None: never; its callback deadline)."""
        key = (source, contact, day)
        found = self._window.get(key)
        if found is None:
            then = SimpleNamespace(source=source, raised_by_contact="x" if contact else "")
            start, due = callback_window(concern=then, resolved_on=self.clock.day(day))
            found = self._window[key] = (None if start is None else self.clock.number(start), self.clock.number(due))
        return found

    def working_from(self, day: int) -> int:
        """The day itself if it is a working day, else the next working day."""
        return day if self.is_working(day) else self.add(day, 1)

    def first_run(self, moment: float) -> int:
        """The first day on which send_reminders runs (LADDER_RUN on working days) at or after `moment`."""
        day = int(moment // DAY)
        if self.is_working(day) and moment < day * DAY + LADDER_RUN:
            return day
        return self.add(day, 1)

    def rung_days(self, kind: str, due: int, on: int) -> int:
        """The days a rung's note counts on day `on` (ladder._ladder_note): working days left to the due
        date for a reminder (workdays.working_days_between), working days overdue for the others
        (workdays.days_overdue)."""
        key = (kind == REMINDED, due, on)
        found = self._days.get(key)
        if found is None:
            due_date, today = self.clock.day(due), self.clock.day(on)
            if kind == REMINDED:
                found = workdays.working_days_between(today, due_date)
            else:
                found = workdays.days_overdue(due_date, today)
            self._days[key] = found
        return found

    def reminded_from(self, due: int) -> int:
        """The first day a reminder may be written for a concern due on day `due` (see rung_from)."""
        found = self._reminded.get(due)
        if found is None:
            found = self._reminded[due] = self.rung_from(REMINDED, due, {})
        return found

    def rung_from(self, kind: str, due: int, done: dict[str, int]) -> int:
        """ladder.ladder_rung_from: the first day the rung may be written, given the rungs done."""
        before = done.get(RUNG_BEFORE.get(kind, ""), -1)
        found = self._rung.get((kind, due, before))
        if found is None:
            clock = self.clock
            dates = {k: clock.day(v) for k, v in done.items()}
            date = ladder.ladder_rung_from(kind, due_date=clock.day(due), done=dates)
            found = self._rung[kind, due, before] = clock.number(date)
        return found


REMINDED = ladder.LADDER_KINDS[0]
# The rung whose day another rung's first day counts from (ladder.ladder_rung_from).
RUNG_BEFORE = dict(zip(ladder.LADDER_KINDS[2:], ladder.LADDER_KINDS[1:3], strict=True))


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
