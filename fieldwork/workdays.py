"""Working days: the one place where deadlines are counted, and where the calendar comes from.

Chinese units count due dates, response limits and days overdue in working days, and the
official calendar moves them every year: public holidays fall on weekdays, and weekend days are
worked instead (调休, e.g. Saturday 14 February 2026 before the Spring Festival). A day is a
working day when its weekday is in settings.FIELDWORK["WORKING_WEEKDAYS"] (Monday is 0), unless a
CalendarDay row says otherwise.

Every other module counts with these functions:
- `add_working_days(start, n)`: the n-th working day after `start` (due dates, response limits);
- `working_days_between(start, end)`: the working days after `start` up to and including `end`;
- `days_overdue(due_date, today)`: working days past a due date, 0 if not past;
- `rests_on_estimate(start, end)`: whether a count over (start, end] crossed a year whose calendar
  is only an estimate, or not loaded at all; such dates are marked as estimated wherever shown.

Where the days come from (CalendarDay.source): the State Council's notice (the file shipped for
2026, or a notice an administrator loads), the `holidays` package for the years whose notice it
carries, or an estimate — the statutory holidays, lunar ones included, computed by the package
for a year whose notice is not out yet, with no make-up days. Days are stored as rows for the
years in use and a year ahead (`calendar_fill`, run by load_holidays and every send_reminders),
so that counting never calls the package at request time.

The calendar has a few dozen rows a year. It is read once and kept until a CalendarDay is saved
or deleted in this process, a load runs, or a web request starts (so every request of every app
server reads the calendar as it stands, with at most one small query, and only when the request
counts across days).
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarDay, Concern, DueDateShift

DATA_DIR = Path(__file__).resolve().parent / "data"
_ONE_DAY = datetime.timedelta(days=1)
Source = CalendarDay.Source
# A stronger source replaces a weaker one for a whole year; never the other way round.
_RANK = {Source.ESTIMATED: 1, Source.PACKAGE: 2, Source.NOTICE: 3}
OFFICIAL = frozenset({Source.NOTICE, Source.PACKAGE})
# How far ahead the calendar's keeper is warned that the notice is missing.
WARNING_HORIZON_DAYS = 90


@dataclass(frozen=True)
class Calendar:
    """The calendar as it stands: the days that break the weekday rule, and what each year rests on."""

    exceptions: dict[datetime.date, bool]  # date → is a working day
    basis: dict[int, str] = field(default_factory=dict)  # year → the weakest source of its rows
    dates: list[datetime.date] = field(init=False)  # the exceptions' dates, sorted, for range look-ups
    # (start, n) → add_working_days(start, n): a dashboard asks it once per group of concerns
    # (hundreds of thousands of times for the same few dozen days); kept with this calendar, so
    # a changed calendar (clear_cache) starts afresh.
    _added: dict[tuple[datetime.date, int], datetime.date] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", sorted(self.exceptions))

    @classmethod
    def read(cls, model=CalendarDay) -> Calendar:
        exceptions: dict[datetime.date, bool] = {}
        basis: dict[int, str] = {}
        for day, working, source in model.objects.order_by().values_list("date", "is_working_day", "source"):
            exceptions[day] = working
            known = basis.get(day.year)
            if known is None or _RANK[source] < _RANK[known]:
                basis[day.year] = source
        return cls(exceptions=exceptions, basis=basis)

    def is_working_day(self, day: datetime.date) -> bool:
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception
        return day.weekday() in working_weekdays()

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        found = self._added.get((start, n))
        if found is None:
            found = self._added[(start, n)] = self._add_working_days(start, n)
        return found

    def _add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        weekdays = working_weekdays()
        count = _weekday_count(start, end, weekdays)
        dates = self.dates
        for index in range(bisect.bisect_right(dates, start), bisect.bisect_right(dates, end)):
            day = dates[index]
            usual = day.weekday() in weekdays
            if self.exceptions[day] != usual:
                count += 1 if self.exceptions[day] else -1
        return count

    def is_official(self, year: int) -> bool:
        """Whether every day of the year rests on the notice (shipped, loaded, or in the package)."""
        return self.basis.get(year) in OFFICIAL

    def estimated_years(self, start: datetime.date, end: datetime.date) -> list[int]:
        """The years of the days in (start, end] whose calendar is an estimate or not loaded."""
        if end <= start:
            return []
        return [year for year in range((start + _ONE_DAY).year, end.year + 1) if not self.is_official(year)]


_local = threading.local()


def clear_cache(**_kwargs) -> None:
    """Forget the calendar read so far; the next count reads it again."""
    _local.calendar = None


def calendar() -> Calendar:
    """The calendar, read with one query and kept (see the module's docstring)."""
    cached = getattr(_local, "calendar", None)
    if cached is None:
        cached = _local.calendar = Calendar.read()
    return cached


def working_weekdays() -> frozenset[int]:
    """The weekdays (Monday is 0) that are working days unless the calendar says otherwise."""
    # Asked for every day counted: the checked set is remembered with the setting's value it came
    # from, and made again whenever the setting holds another value.
    given = tuple(settings.FIELDWORK["WORKING_WEEKDAYS"])
    known = _weekdays_memo.get(given)
    if known is not None:
        return known
    days = frozenset(int(day) for day in given)
    if not days or not days <= set(range(7)):
        raise ImproperlyConfigured('FIELDWORK["WORKING_WEEKDAYS"] must name at least one weekday, 0 (Monday) to 6.')
    _weekdays_memo.clear()
    _weekdays_memo[given] = days
    return days


_weekdays_memo: dict[tuple, frozenset[int]] = {}


def is_working_day(day: datetime.date) -> bool:
    return calendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (before it when n is negative); `start` itself for 0.

    A concern raised on Friday 13 February 2026 with 7 working days is due on Monday 2 March:
    the make-up Saturdays 14 and 28 February count, the Spring Festival holiday does not.
    """
    return calendar().add_working_days(start, n)


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
    return calendar().working_days_between(start, end)


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


def rests_on_estimate(start: datetime.date, end: datetime.date) -> bool:
    """Whether a count of the days in (start, end] crossed a year the notice has not fixed yet."""
    return bool(calendar().estimated_years(start, end))


def years_to_warn(today: datetime.date | None = None) -> list[int]:
    """The years of the next WARNING_HORIZON_DAYS days whose notice is not in the calendar."""
    today = today or timezone.localdate()
    return calendar().estimated_years(today - _ONE_DAY, today + datetime.timedelta(days=WARNING_HORIZON_DAYS))


# --- where a year's days come from -----------------------------------------------------------------


Days = dict[datetime.date, tuple[bool, str]]  # date → (is a working day, note)


def holiday_file(year: int) -> Path:
    """The notice shipped with the app for a year (fieldwork/data/holidays-<year>.json)."""
    return DATA_DIR / f"holidays-{year}.json"


_LINE = re.compile(
    r"^(?P<kind>休|班|off|work)\s+(?P<first>\d{4}-\d{2}-\d{2})(?:\s*(?:\.\.|至|~|to)?\s*(?P<last>\d{4}-\d{2}-\d{2}))?"
    r"\s*(?P<note>.*)$",
    re.IGNORECASE,
)


def _days_from_lines(text: str) -> Days:
    """The notice as lines: `休 2027-02-05 2027-02-11 春节` (days off, a range) or `班 2027-02-14
    春节调休上班` (a weekend day worked); blank lines and lines starting with # are skipped."""
    days: Days = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise ValueError(
                _("line %(number)s: «%(line)s» is not «休 <first day> [<last day>] <name>» or «班 <day> <note>»")
                % {"number": number, "line": line}
            )
        working = match["kind"].lower() in ("班", "work")
        try:
            first = datetime.date.fromisoformat(match["first"])
            last = datetime.date.fromisoformat(match["last"]) if match["last"] else first
        except ValueError as error:
            raise ValueError(_("line %(number)s: a date that does not exist") % {"number": number}) from error
        if last < first:
            raise ValueError(_("line %(number)s: the last day is before the first") % {"number": number})
        if working and last != first:
            raise ValueError(_("line %(number)s: a worked weekend day is a single date") % {"number": number})
        day = first
        while day <= last:
            if day in days:
                raise ValueError(_("line %(number)s: a day is listed twice") % {"number": number})
            days[day] = (working, match["note"].strip())
            day += _ONE_DAY
    return days


def _days_from_json(data: dict) -> Days:
    days: Days = {}
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
    return days


def notice_read(text: str) -> tuple[int, Days]:
    """A year's notice, as JSON (fieldwork/data/holidays-2026.json) or as lines (see _days_from_lines):
    (the year, its days), checked. The year is the one most of the days fall in."""
    stripped = text.lstrip()
    days = _days_from_json(json.loads(text)) if stripped.startswith("{") else _days_from_lines(text)
    if not days:
        raise ValueError(_("no days listed"))
    years = [day.year for day in days]
    return max(set(years), key=years.count), days


def package_days(year: int) -> tuple[str, Days]:
    """A year as the `holidays` package knows it: (source, days).

    For a year whose notice the package carries, its holidays and make-up working days (package);
    otherwise the statutory holidays it computes, lunar ones included, without make-up days
    (estimated).
    """
    import holidays
    from holidays.countries.china import ChinaStaticHolidays

    china = holidays.China(years=year, language="zh_CN")
    days: Days = {day: (False, name) for day, name in china.items() if day.year == year}
    if year not in ChinaStaticHolidays.special_public_holidays:
        return Source.ESTIMATED, days
    for day in china.weekend_workdays:
        if day.year == year:
            days[day] = (True, "调休上班")
    return Source.PACKAGE, days


# --- writing a year into the calendar ---------------------------------------------------------------


@dataclass
class Load:
    """What a load did: rows created, updated and removed, and the days whose working status changed."""

    year: int
    source: str
    created: int = 0
    updated: int = 0
    removed: int = 0
    skipped: bool = False  # the year already rests on a stronger source
    changed: list[datetime.date] = field(default_factory=list)
    shifts: list[DueDateShift] = field(default_factory=list)


def calendar_load(*, year: int, days: Days, source: str, model=CalendarDay) -> Load:
    """Make the calendar's days of `year` those given, from `source`; idempotent.

    The given days replace every row of that year (a notice replaces the estimate; a corrected
    notice, the notice); days given outside the year are added or updated. A weaker source never
    replaces a stronger one: an estimate or the package does not touch a year loaded from the
    notice. `model` lets a data migration pass its historical model. Returns what changed; use
    `calendar_apply` to also record the due dates the change would move and rebuild the rollups.
    """
    load = Load(year=year, source=source)
    with transaction.atomic():
        rows = {row.date: row for row in model.objects.filter(date__year=year)}
        rows.update({row.date: row for row in model.objects.filter(date__in=list(days)).exclude(date__year=year)})
        in_year = [row for row in rows.values() if row.date.year == year]
        if any(_RANK[row.source] > _RANK[source] for row in in_year):
            load.skipped = True
            return load
        before = {day: row.is_working_day for day, row in rows.items()}
        for row in in_year:
            if row.date not in days:
                row.delete()  # one at a time, so that the history keeps it
                load.removed += 1
        for day, (working, note) in sorted(days.items()):
            row = rows.get(day)
            if row is None:
                model.objects.create(date=day, is_working_day=working, note=note, source=source)
                load.created += 1
            elif (row.is_working_day, row.note, row.source) != (working, note, source):
                row.is_working_day, row.note, row.source = working, note, source
                row.save(update_fields=["is_working_day", "note", "source"])
                load.updated += 1
        weekdays = working_weekdays()
        for day in sorted(set(before) | set(days)):
            was = before.get(day, day.weekday() in weekdays)
            now = days[day][0] if day in days else day.weekday() in weekdays
            if was != now:
                load.changed.append(day)
    clear_cache()
    return load


def calendar_apply(*, year: int, days: Days, source: str, today: datetime.date | None = None) -> Load:
    """Load a year (calendar_load), then record the open concerns whose due date the change would
    move (for a leader to apply: services.concerns.concern_due_shifts_apply) and rebuild the rollups that
    count with the calendar (the response limit). What load_holidays and the admin's form call."""
    from . import rollups

    today = today or timezone.localdate()
    old = calendar()
    with transaction.atomic():
        load = calendar_load(year=year, days=days, source=source)
        if load.changed:
            load.shifts = due_shifts_record(old=old, new=calendar(), changed=load.changed, today=today)
            rollups.refresh_response_limits(first=load.changed[0], last=load.changed[-1], today=today)
    return load


def calendar_fill(years: list[int], *, today: datetime.date | None = None) -> list[Load]:
    """Give each year that has no official days the best the package knows (its notice, or an
    estimate); a year already loaded from the notice or the package is left alone."""
    loads = []
    for year in years:
        if calendar().is_official(year):
            continue
        source, days = package_days(year)
        load = calendar_apply(year=year, days=days, source=source, today=today)
        if load.created or load.updated or load.removed:
            loads.append(load)
    return loads


def years_in_use(today: datetime.date | None = None) -> list[int]:
    """The years the calendar should hold: from the first concern raised (or this year) to a year ahead."""
    today = today or timezone.localdate()
    first = Concern.objects.order_by("raised_at").values_list("raised_at", flat=True).first()
    start = min(today.year, timezone.localtime(first).year) if first else today.year
    return list(range(start, today.year + 2))


def status_lines(today: datetime.date | None = None) -> list[str]:
    """What each year rests on, for calendar_status, load_holidays and send_reminders to print."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    today = today or timezone.localdate()
    counts: dict[int, dict[tuple[str, bool], int]] = {}
    rows = (
        CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values_list("year", "source", "is_working_day")
        .annotate(n=Count("id"))
        .order_by()
    )
    for year, source, working, n in rows:
        counts.setdefault(year, {})[(source, working)] = n
    lines = []
    for year in sorted(set(years_in_use(today)) | set(counts)):
        if year not in counts:
            lines.append(f"{year}: nothing loaded; counted as Monday to Friday, an estimate.")
            continue
        parts = []
        for source in (Source.NOTICE, Source.PACKAGE, Source.ESTIMATED):
            off, worked = counts[year].get((source, False), 0), counts[year].get((source, True), 0)
            if off or worked:
                parts.append(f"{Source(source).label}: {off} day(s) off, {worked} weekend day(s) worked")
        lines.append(f"{year}: " + "; ".join(parts) + ".")
    missing = years_to_warn(today)
    horizon = today + datetime.timedelta(days=WARNING_HORIZON_DAYS)
    if missing:
        lines.append(
            f"WARNING: the next {WARNING_HORIZON_DAYS} days (to {horizon}) reach "
            f"{', '.join(map(str, missing))} with no State Council notice loaded: due dates counted into it "
            "are estimated. Load the notice when it is out: manage.py load_holidays <file>, or the admin's "
            "Calendar days → Enter a year's notice."
        )
    else:
        lines.append(f"The next {WARNING_HORIZON_DAYS} days (to {horizon}) are covered by the notice.")
    return lines


# --- due dates a new calendar would move --------------------------------------------------------------


def due_shifts_record(
    *,
    old: Calendar,
    new: Calendar,
    changed: list[datetime.date],
    today: datetime.date,
    concern_model=Concern,
    shift_model=DueDateShift,
) -> list[DueDateShift]:
    """Record, for each open concern whose working days left run over a changed day, the due date
    that keeps the same number of working days left under the new calendar.

    Due dates are not moved here: a date told to a person is moved only by a leader, with an event
    on the timeline. A proposal not yet applied is replaced by the new one (or dropped when the
    concern's date no longer moves). The models are parameters for the data migration.
    """
    changed = sorted(day for day in changed if day > today)
    if not changed:
        return []
    pending = {shift.concern_id: shift for shift in shift_model.objects.filter(applied_at__isnull=True)}
    found = []
    concerns = (
        # the historical model of a migration has no ConcernQuerySet: the statuses of Concern.active()
        concern_model.objects.filter(status__in=list(Concern.ACTIVE_STATUSES), due_date__gte=changed[0])
        .values_list("pk", "due_date")
        .order_by("due_date", "pk")
    )
    for concern_id, due in concerns.iterator(chunk_size=5_000):
        moved = new.add_working_days(today, old.working_days_between(today, due))
        shift = pending.pop(concern_id, None)
        if moved == due:
            if shift is not None:
                shift.delete()
            continue
        if shift is None:
            shift = shift_model(concern_id=concern_id)
        shift.due_date_before, shift.due_date_after = due, moved
        shift.year = changed[0].year
        shift.created_at = timezone.now()
        shift.save()
        found.append(shift)
    return found


# Connected as the module loads: the cache exists only once this module is loaded.
post_save.connect(clear_cache, sender=CalendarDay, dispatch_uid="workdays-calendar-saved")
post_delete.connect(clear_cache, sender=CalendarDay, dispatch_uid="workdays-calendar-deleted")
request_started.connect(clear_cache, dispatch_uid="workdays-request-started")
