"""Rollups: the dashboard's figures stored per unit subtree, kept in step with every write.

A `UnitMonth` row holds the totals of a unit's subtree (the unit and everything below it) for one
calendar month; `UnitYear` the months of a year in which the subtree had a visit (coverage);
`UnitNow` the subtree's concerns open now, by due date (open and overdue now). The dashboard reads
a few dozen rows instead of scanning a million visits.

How they stay right
-------------------
A unit's *own* figures for a month (its own visits, concerns and callbacks, not its children's)
are `row(unit) − Σ row(child)`. Whenever something changes the rows of unit u in months M,
`_refresh(u, M)` recounts u's own figures for M from its rows (a unit has few rows a month, so
this is cheap), subtracts what the rollups held for it, and adds the difference to u and to every
ancestor (the materialised path names them without a query). Recounting instead of incrementing
makes the upkeep idempotent and self-healing: running it twice changes nothing, and a change that
slipped past the hooks (a bulk update) is absorbed by the next refresh of that unit and month.

When it runs: signal receivers (connected in apps.py) see every save of a visit, concern,
callback, event, principle tag and unit, and refresh at once, inside the writing transaction.
A service decorated with `@in_step` (visit_record, visit_update, concern_create) instead collects
what it touched and refreshes once, at its end, still inside its transaction: one refresh instead
of one per row, and the rollup locks are taken after the reference counter's, in the same order
as everywhere else, so two writers never wait on each other in a cycle.

Concurrency: on PostgreSQL every upkeep takes one transaction-level advisory lock first, so two
transactions never interleave a recount and its write (the hot rows, the root's months, would
serialise them anyway). Readers never wait. A transaction that takes the lock and then waits for
another row lock (say, a second concern's in a bulk operation) could meet a writer holding that
row and waiting for the lock: PostgreSQL then cancels one of the two (a deadlock error); the
services take their concern's row lock before any upkeep, so they do not.

Loading rows past save() (bulk_create, COPY, a fixture with raw=True): wrap it in `suspended()`
or not, then run `rebuild()` (`manage.py rebuild_rollups`).

What is counted, and when (DESIGN.md, "Dashboard figures: definitions", in the configured time
zone): a visit in the month of its date; a concern's "raised" counters in the month it was
raised; its "resolved" counters in the month of its latest move into resolved (services clear
`resolved_at` when a dissatisfied callback reopens it); a callback in the month of its date; a
concern's coming under supervision (督办) in the month of `supervised_at`; an approved extension
request in the month of its decision. Withdrawn concerns count only in `concerns_withdrawn`.
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from . import workdays
from .models import Concern, ConcernEvent, ExtensionRequest, Feedback, Unit, UnitMonth, UnitNow, UnitYear, Visit

# The parts of a unit's figures that a change may touch; each is recounted by its own query.
VISITS = "visits"  # visits, people reached and visits by principle, by the visit's month
RAISED = "raised"  # the concern counters and categories by the month raised
CONCERN_TAGS = "concern_tags"  # concerns by principle, by the month raised
RESOLVED = "resolved"  # resolved, on time and days to resolve, by the month of the latest resolution
CALLBACKS = "callbacks"  # callbacks by their month
NOW = "now"  # UnitNow: the concerns open today
# Concerns that came under supervision (by the month of supervised_at) and extensions approved (by
# the month of the decision). Apart from CONCERNS: a concern just raised has neither, so raising
# one does not recount them.
SUPERVISION = "supervision"
CONCERNS = frozenset({RAISED, CONCERN_TAGS, RESOLVED, CALLBACKS})
MONTHLY_PARTS = frozenset({VISITS, SUPERVISION}) | CONCERNS
ALL_PARTS = MONTHLY_PARTS | {NOW}
CONCERN_PARTS = CONCERNS | {NOW}
NOW_MAPS = ("open_by_due", "waiting_by_raised", "supervised_by_due")

VISIT_COUNTERS = ("visits", "people_reached")
CONCERN_COUNTERS = (
    "concerns_raised",
    "concerns_withdrawn",
    "policy_limited",
    "resolved_now",
    "policy_resolved",
    "taken_up",
    "taken_up_in_time",
    "not_taken_up",
    "resolved",
    "resolved_on_time",
    "callbacks",
    "satisfied",
    "dissatisfied",
    "supervised",
    "extensions_granted",
)
VISIT_MAPS = ("visits_by_principle",)
CONCERN_MAPS = ("days_to_resolve", "concerns_by_principle", "concerns_by_category")
COUNTERS = VISIT_COUNTERS + CONCERN_COUNTERS
MAPS = VISIT_MAPS + CONCERN_MAPS
FIELDS = COUNTERS + MAPS
PART_FIELDS = {
    VISITS: VISIT_COUNTERS + VISIT_MAPS,
    RAISED: (
        "concerns_raised",
        "concerns_withdrawn",
        "policy_limited",
        "resolved_now",
        "policy_resolved",
        "taken_up",
        "taken_up_in_time",
        "not_taken_up",
        "concerns_by_category",
    ),
    CONCERN_TAGS: ("concerns_by_principle",),
    RESOLVED: ("resolved", "resolved_on_time", "days_to_resolve"),
    CALLBACKS: ("callbacks", "satisfied", "dissatisfied"),
    SUPERVISION: ("supervised", "extensions_granted"),
}

DONE = (Concern.Status.RESOLVED, Concern.Status.CLOSED)
ACTIVE = Concern.ACTIVE_STATUSES
SATISFIED = (Feedback.Satisfaction.SATISFIED, Feedback.Satisfaction.BASICALLY)

# Any constant will do: it names "the rollup upkeep" among PostgreSQL's advisory locks.
LOCK_KEY = 7_390_125_001

Bucket = dict[str, Any]
Key = tuple[int, datetime.date]
Ranges = list[tuple[datetime.date, datetime.date]]


# --- the counting rules: one definition each, used by upkeep, rebuild and live edges -------------


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar day of a moment in the configured time zone (settings.TIME_ZONE)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a day in the configured time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def response_deadline(raised_on: datetime.date) -> datetime.date:
    """The last day on which taking up a concern raised on `raised_on` counts as within the limit.

    The one place the response limit is reckoned (settings.FIELDWORK["RESPONSE_LIMIT_DAYS"]), in
    working days of the official calendar (workdays.py). Stored rollups depend on the calendar:
    loading a year (workdays.calendar_apply) counts the months it touches again.
    """
    return workdays.add_working_days(raised_on, settings.FIELDWORK["RESPONSE_LIMIT_DAYS"])


def response_window_start(today: datetime.date) -> datetime.date:
    """The first day a concern may have been raised on and still be within its limit today.

    Concerns raised before it and never taken up have passed their limit. Derived from
    response_deadline (monotonic in the day raised), so swapping that function keeps this right.
    """
    day = today
    for _step in range(366):
        if response_deadline(day - datetime.timedelta(days=1)) < today:
            break
        day -= datetime.timedelta(days=1)
    return day


def days_to_resolve(raised_at: datetime.datetime, resolved_at: datetime.datetime) -> int:
    """(resolved at − raised at) in whole days."""
    return max(0, (resolved_at - raised_at) // datetime.timedelta(days=1))


# --- buckets ------------------------------------------------------------------------------------


def empty_bucket() -> Bucket:
    bucket: Bucket = dict.fromkeys(COUNTERS, 0)
    for name in MAPS:
        bucket[name] = {}
    return bucket


def bucket_add(target: Bucket, source: Bucket, *, sign: int = 1, fields: Iterable[str] = FIELDS) -> None:
    for name in fields:
        if isinstance(source[name], dict):
            counts = target[name]
            for tag, count in source[name].items():
                value = counts.get(tag, 0) + sign * count
                if value:
                    counts[tag] = value
                else:
                    counts.pop(tag, None)
        else:
            target[name] += sign * source[name]


def bucket_is_zero(bucket: Bucket) -> bool:
    return not any(bucket[name] for name in FIELDS)


def bucket_of(row: UnitMonth | dict) -> Bucket:
    get = row.get if isinstance(row, dict) else functools.partial(getattr, row)
    bucket = {name: get(name) for name in COUNTERS}
    for name in MAPS:
        bucket[name] = {str(tag): count for tag, count in (get(name) or {}).items() if count}
    return bucket


def ancestor_ids(path: str) -> list[int]:
    """The ids in a materialised path, root first, the unit itself last."""
    return [int(part) for part in path.strip("/").split("/") if part]


# --- counting rows ------------------------------------------------------------------------------


def _unit_q(prefix: str, unit_ids: list[int] | None, path: str | None) -> Q:
    if unit_ids is not None:
        return Q(**{f"{prefix}unit_id__in": unit_ids})
    if path is not None:
        return Q(**{f"{prefix}unit__path__startswith": path})
    return Q()


def _date_q(field: str, ranges: Ranges | None) -> Q:
    if ranges is None:
        return Q()
    q = Q(pk__in=[])
    for first, after in ranges:
        q |= Q(**{f"{field}__gte": first, f"{field}__lt": after})
    return q


def _time_q(field: str, ranges: Ranges | None) -> Q:
    if ranges is None:
        return Q()
    q = Q(pk__in=[])
    for first, after in ranges:
        q |= Q(**{f"{field}__gte": day_start(first), f"{field}__lt": day_start(after)})
    return q


def _month_value(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, timezone.get_default_timezone()).date().replace(day=1)
    return value.replace(day=1)


def _rows(queryset, *, stream: bool) -> Iterator:
    """Rows in chunks for a recount of everything (inside its transaction), else all at once: out of
    a transaction a server-side cursor is declared WITH HOLD and materialised first, which is slow."""
    return queryset.iterator(chunk_size=20_000) if stream else iter(queryset)


def count_rows(
    *,
    unit_ids: list[int] | None = None,
    path: str | None = None,
    ranges: Ranges | None = None,
    parts: Iterable[str] = ALL_PARTS,
) -> dict[Key, Bucket]:
    """Count units' own rows into buckets keyed by (unit id, month).

    `unit_ids` or `path` (a subtree) or neither (everything); `ranges` a list of
    [first day, day after last) or None for all time. Eight queries at most, whatever the size.
    """
    parts = set(parts)
    stream = unit_ids is None and path is None and ranges is None
    buckets: dict[Key, Bucket] = defaultdict(empty_bucket)
    if VISITS in parts:
        visits = (
            Visit.objects.filter(_unit_q("", unit_ids, path) & _date_q("date", ranges))
            .annotate(month=TruncMonth("date"))
            .values("unit_id", "month")
            .annotate(n=Count("id"), people=Sum("people_reached"))
            .order_by()
        )
        for row in visits:
            bucket = buckets[(row["unit_id"], _month_value(row["month"]))]
            bucket["visits"] += row["n"]
            bucket["people_reached"] += row["people"] or 0
        tags = (
            Visit.principles.through.objects.filter(_unit_q("visit__", unit_ids, path) & _date_q("visit__date", ranges))
            .annotate(month=TruncMonth("visit__date"))
            .values("visit__unit_id", "month", "principle_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in tags:
            counts = buckets[(row["visit__unit_id"], _month_value(row["month"]))]["visits_by_principle"]
            key = str(row["principle_id"])
            counts[key] = counts.get(key, 0) + row["n"]
    if parts & CONCERNS:
        _count_concerns(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, parts=parts)
    if SUPERVISION in parts:
        _count_supervision(buckets, unit_ids=unit_ids, path=path, ranges=ranges)
    return dict(buckets)


def _count_concerns(buckets, *, unit_ids, path, ranges, stream: bool, parts: set[str]) -> None:
    # Local days are worked out by the database (TruncDate in the configured time zone), and rows
    # alike are grouped there: Python applies the response limit once per group.
    zone = timezone.get_default_timezone()
    if RAISED in parts:
        _count_raised(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, zone=zone)
    if CONCERN_TAGS in parts:
        _count_concern_tags(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, zone=zone)
    if RESOLVED in parts:
        _count_resolved(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, zone=zone)
    if CALLBACKS in parts:
        _count_callbacks(buckets, unit_ids=unit_ids, path=path, ranges=ranges)


def _count_raised(buckets, *, unit_ids, path, ranges, stream: bool, zone) -> None:
    raised = (
        Concern.objects.filter(_unit_q("", unit_ids, path) & _time_q("raised_at", ranges))
        .annotate(raised_on=TruncDate("raised_at", tzinfo=zone), taken_on=TruncDate("taken_up_at", tzinfo=zone))
        .values("unit_id", "raised_on", "taken_on", "status", "solvability", "category_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "raised_on", "taken_on", "status", "solvability", "category_id", "n")
    )
    for unit_id, raised_on, taken_on, status, solvability, category_id, n in _rows(raised, stream=stream):
        bucket = buckets[(unit_id, raised_on.replace(day=1))]
        if status == Concern.Status.WITHDRAWN:
            bucket["concerns_withdrawn"] += n
            continue
        bucket["concerns_raised"] += n
        counts = bucket["concerns_by_category"]
        counts[str(category_id)] = counts.get(str(category_id), 0) + n
        done = n if status in DONE else 0
        if solvability == Concern.Solvability.POLICY:
            bucket["policy_limited"] += n
            bucket["policy_resolved"] += done
        else:
            bucket["resolved_now"] += done
        if taken_on is not None:
            bucket["taken_up"] += n
            if taken_on <= response_deadline(raised_on):  # taken up within the limit
                bucket["taken_up_in_time"] += n
        elif status in ACTIVE:
            bucket["not_taken_up"] += n


def _count_concern_tags(buckets, *, unit_ids, path, ranges, stream: bool, zone) -> None:
    tags = (
        Concern.principles.through.objects.filter(
            _unit_q("concern__", unit_ids, path) & _time_q("concern__raised_at", ranges)
        )
        .exclude(concern__status=Concern.Status.WITHDRAWN)
        .annotate(month=TruncMonth("concern__raised_at", tzinfo=zone))
        .values("concern__unit_id", "month", "principle_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("concern__unit_id", "month", "principle_id", "n")
    )
    for unit_id, month, principle_id, n in _rows(tags, stream=stream):
        counts = buckets[(unit_id, _month_value(month))]["concerns_by_principle"]
        counts[str(principle_id)] = counts.get(str(principle_id), 0) + n


def _count_resolved(buckets, *, unit_ids, path, ranges, stream: bool, zone) -> None:
    resolved = (
        Concern.objects.filter(
            _unit_q("", unit_ids, path) & _time_q("resolved_at", ranges),
            status__in=DONE,
            resolved_at__isnull=False,
        )
        .annotate(resolved_on=TruncDate("resolved_at", tzinfo=zone))
        .values_list("unit_id", "raised_at", "resolved_at", "resolved_on", "due_date")
        .order_by()
    )
    for unit_id, raised_at, resolved_at, resolved_on, due_date in _rows(resolved, stream=stream):
        bucket = buckets[(unit_id, resolved_on.replace(day=1))]
        bucket["resolved"] += 1
        bucket["resolved_on_time"] += resolved_on <= due_date  # on or before the due date (as extended)
        days = str(days_to_resolve(raised_at, resolved_at))
        bucket["days_to_resolve"][days] = bucket["days_to_resolve"].get(days, 0) + 1


def _count_callbacks(buckets, *, unit_ids, path, ranges) -> None:
    callbacks = (
        Feedback.objects.filter(_unit_q("concern__", unit_ids, path) & _date_q("date", ranges))
        .exclude(concern__status=Concern.Status.WITHDRAWN)
        .annotate(month=TruncMonth("date"))
        .values("concern__unit_id", "month", "satisfaction")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in callbacks:
        bucket = buckets[(row["concern__unit_id"], _month_value(row["month"]))]
        bucket["callbacks"] += row["n"]
        if row["satisfaction"] in SATISFIED:
            bucket["satisfied"] += row["n"]
        elif row["satisfaction"] == Feedback.Satisfaction.DISSATISFIED:
            bucket["dissatisfied"] += row["n"]


def _count_supervision(buckets, *, unit_ids, path, ranges) -> None:
    """Concerns that came under supervision, by the month of `supervised_at` (the partial index
    `concern_supervised_due` holds them), and extension requests approved, by the month decided;
    withdrawn concerns apart, as everywhere."""
    supervised = Concern.objects.filter(supervised_at__isnull=False).exclude(status=Concern.Status.WITHDRAWN)
    approved = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.APPROVED).exclude(
        concern__status=Concern.Status.WITHDRAWN
    )
    for rows, prefix, moment, counter in (
        (supervised, "", "supervised_at", "supervised"),
        (approved, "concern__", "decided_at", "extensions_granted"),
    ):
        monthly = (
            rows.filter(_unit_q(prefix, unit_ids, path) & _time_q(moment, ranges))
            .annotate(month=TruncMonth(moment, tzinfo=timezone.get_default_timezone()))
            .values(f"{prefix}unit_id", "month")
            .annotate(n=Count("id"))
            .order_by()
            .values_list(f"{prefix}unit_id", "month", "n")
        )
        for unit_id, month, n in monthly:
            buckets[(unit_id, _month_value(month))][counter] += n


def empty_now() -> Bucket:
    return {name: {} for name in NOW_MAPS}


def now_add(target: Bucket, source: Bucket, *, sign: int = 1) -> None:
    bucket_add(target, source, sign=sign, fields=NOW_MAPS)


def now_is_zero(now: Bucket) -> bool:
    return not any(now[name] for name in NOW_MAPS)


def now_of(row: UnitNow | dict) -> Bucket:
    get = row.get if isinstance(row, dict) else functools.partial(getattr, row)
    return {name: {str(key): count for key, count in (get(name) or {}).items() if count} for name in NOW_MAPS}


def count_now(*, unit_ids: list[int] | None = None, path: str | None = None) -> dict[int, Bucket]:
    """Count units' own concerns open or in progress now: by due date (all, and those under
    supervision), and by the day raised for those never taken up (still within their response
    limit or not: the reader decides by date)."""
    counts: dict[int, Bucket] = defaultdict(empty_now)
    rows = (
        Concern.objects.filter(_unit_q("", unit_ids, path), status__in=ACTIVE)
        .values_list("unit_id", "due_date", "taken_up_at", "raised_at", "supervised_at")
        .order_by()
    )
    for unit_id, due_date, taken_up_at, raised_at, supervised_at in _rows(
        rows, stream=unit_ids is None and path is None
    ):
        now = counts[unit_id]
        key = due_date.isoformat()
        now["open_by_due"][key] = now["open_by_due"].get(key, 0) + 1
        if supervised_at is not None:
            now["supervised_by_due"][key] = now["supervised_by_due"].get(key, 0) + 1
        if taken_up_at is None:
            key = local_date(raised_at).isoformat()
            now["waiting_by_raised"][key] = now["waiting_by_raised"].get(key, 0) + 1
    return dict(counts)


def month_ranges(months: Iterable[datetime.date]) -> Ranges:
    """Whole months as [first day, first day of the next month) ranges, adjacent ones merged."""
    ranges: Ranges = []
    for month in sorted(set(months)):
        after = next_month(month)
        if ranges and ranges[-1][1] == month:
            ranges[-1] = (ranges[-1][0], after)
        else:
            ranges.append((month, after))
    return ranges


# --- writing rollups ----------------------------------------------------------------------------


def _lock() -> None:
    """Serialise rollup upkeep on PostgreSQL until the transaction ends (SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _of_existing_units(rows: list) -> list:
    """New rollup rows whose unit exists: a path may still name units not imported yet (an import
    saves the rows first and mends the paths after; it rebuilds the rollups at its end)."""
    existing = set(Unit.objects.filter(pk__in={row.unit_id for row in rows}).values_list("pk", flat=True))
    return [row for row in rows if row.unit_id in existing]


def _apply(changes: dict[Key, Bucket]) -> None:
    """Add each delta to its (unit, month) row, creating missing rows and dropping emptied ones."""
    changes = {key: delta for key, delta in changes.items() if not bucket_is_zero(delta)}
    if not changes:
        return
    unit_ids = sorted({unit_id for unit_id, _month in changes})
    months = sorted({month for _unit_id, month in changes})
    existing = {
        (row.unit_id, row.month): row
        for row in UnitMonth.objects.filter(unit_id__in=unit_ids, month__in=months).order_by("unit_id", "month")
    }
    created, emptied = [], []
    # Rows whose change is counters only are updated with one UPDATE ... SET n = n + d per distinct
    # change (a refresh adds the same change to every ancestor); rows whose maps change, one by one.
    increments: dict[tuple, list[int]] = defaultdict(list)
    rewrites: list[tuple[int, dict]] = []
    flips: dict[tuple[int, int], int] = defaultdict(int)  # (unit, year) → months whose "visited" changed
    for key in sorted(changes):
        row, delta = existing.get(key), changes[key]
        bucket = bucket_of(row) if row is not None else empty_bucket()
        was_visited = bucket["visits"] > 0
        bucket_add(bucket, delta)
        if was_visited != (bucket["visits"] > 0):
            flips[(key[0], key[1].year)] ^= 1 << (key[1].month - 1)
        if row is None:
            if not bucket_is_zero(bucket):
                created.append(UnitMonth(unit_id=key[0], month=key[1], **bucket))
        elif bucket_is_zero(bucket):
            emptied.append(row.pk)
        elif any(delta[name] for name in MAPS):
            rewrites.append((row.pk, {name: bucket[name] for name in FIELDS if delta[name]}))
        else:
            increments[tuple((name, delta[name]) for name in COUNTERS if delta[name])].append(row.pk)
    if created:
        UnitMonth.objects.bulk_create(_of_existing_units(created))
    for increment, pks in increments.items():
        UnitMonth.objects.filter(pk__in=pks).update(**{name: F(name) + value for name, value in increment})
    for pk, values in rewrites:
        UnitMonth.objects.filter(pk=pk).update(**values)
    if emptied:
        UnitMonth.objects.filter(pk__in=emptied).delete()
    if flips:
        _apply_years(flips)


def _apply_years(flips: dict[tuple[int, int], int]) -> None:
    """Flip the visited-month bits of (unit, year) rows; a row left with no bit is dropped."""
    unit_ids = sorted({unit_id for unit_id, _year in flips})
    years = sorted({year for _unit_id, year in flips})
    existing = {
        (row.unit_id, row.year): row
        for row in UnitYear.objects.filter(unit_id__in=unit_ids, year__in=years).order_by("unit_id", "year")
    }
    created, updated, emptied = [], [], []
    for key in sorted(flips):
        row = existing.get(key)
        mask = (row.visited_months if row is not None else 0) ^ flips[key]
        if row is None:
            if mask:
                created.append(UnitYear(unit_id=key[0], year=key[1], visited_months=mask))
        elif not mask:
            emptied.append(row.pk)
        else:
            row.visited_months = mask
            updated.append(row)
    if created:
        UnitYear.objects.bulk_create(_of_existing_units(created))
    if updated:
        UnitYear.objects.bulk_update(updated, ["visited_months"])
    if emptied:
        UnitYear.objects.filter(pk__in=emptied).delete()


def years_of(totals: dict[Key, Bucket]) -> dict[tuple[int, int], int]:
    """The visited-month bits of each (unit, year), from monthly rollups."""
    masks: dict[tuple[int, int], int] = defaultdict(int)
    for (unit_id, month), bucket in totals.items():
        if bucket["visits"] > 0:
            masks[(unit_id, month.year)] |= 1 << (month.month - 1)
    return dict(masks)


def stored_years(*, unit: Unit | None = None) -> dict[tuple[int, int], int]:
    rows = UnitYear.objects.all() if unit is None else UnitYear.objects.filter(unit__path__startswith=unit.path)
    return {(row.unit_id, row.year): row.visited_months for row in rows if row.visited_months}


def _self_and_children(unit_id: int):
    """The unit and its children, as a subquery (two index look-ups)."""
    return Unit.objects.filter(Q(pk=unit_id) | Q(parent_id=unit_id)).values("pk")


def _stored_own(unit_id: int, months: list[datetime.date], fields: tuple[str, ...]) -> dict[datetime.date, Bucket]:
    """What the rollups hold for a unit's own rows: its row minus its children's rows."""
    own: dict[datetime.date, Bucket] = defaultdict(empty_bucket)
    rows = UnitMonth.objects.filter(unit_id__in=_self_and_children(unit_id), month__in=months).values(
        "unit_id", "month", *fields
    )
    for row in rows:
        values = empty_bucket()
        for name in fields:
            values[name] = row[name] if name in COUNTERS else {str(k): v for k, v in (row[name] or {}).items()}
        bucket_add(own[row["month"]], values, sign=1 if row["unit_id"] == unit_id else -1, fields=fields)
    return own


def _refresh(unit_id: int, months: set[datetime.date], parts: set[str]) -> None:
    """Recount a unit's own figures for some months and carry the difference up its path."""
    path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if not path:
        return
    if NOW in parts:
        _refresh_now(unit_id, path)
    parts = parts & MONTHLY_PARTS
    if not months or not parts:
        return
    fields = tuple(name for part in sorted(parts) for name in PART_FIELDS[part])
    month_list = sorted(months)
    fresh = count_rows(unit_ids=[unit_id], ranges=month_ranges(month_list), parts=parts)
    stored = _stored_own(unit_id, month_list, fields)
    changes: dict[Key, Bucket] = {}
    for month in month_list:
        delta = empty_bucket()
        bucket_add(delta, fresh.get((unit_id, month), empty_bucket()), fields=fields)
        bucket_add(delta, stored.get(month, empty_bucket()), sign=-1, fields=fields)
        if not bucket_is_zero(delta):
            for ancestor in ancestor_ids(path):
                changes[(ancestor, month)] = delta
    _apply(changes)


def _refresh_now(unit_id: int, path: str) -> None:
    """The same for the concerns open now: recount the unit's own, carry the difference up."""
    delta = count_now(unit_ids=[unit_id]).get(unit_id, empty_now())
    for row in UnitNow.objects.filter(unit_id__in=_self_and_children(unit_id)):
        now_add(delta, now_of(row), sign=-1 if row.unit_id == unit_id else 1)
    if not now_is_zero(delta):
        _apply_now(dict.fromkeys(ancestor_ids(path), delta))


def _apply_now(changes: dict[int, Bucket]) -> None:
    changes = {unit_id: delta for unit_id, delta in changes.items() if not now_is_zero(delta)}
    if not changes:
        return
    existing = {row.unit_id: row for row in UnitNow.objects.filter(unit_id__in=sorted(changes)).order_by("unit_id")}
    created, emptied = [], []
    for unit_id in sorted(changes):
        row, delta = existing.get(unit_id), changes[unit_id]
        now = now_of(row) if row is not None else empty_now()
        now_add(now, delta)
        if row is None:
            if not now_is_zero(now):
                created.append(UnitNow(unit_id=unit_id, **now))
        elif now_is_zero(now):
            emptied.append(unit_id)
        else:
            UnitNow.objects.filter(unit_id=unit_id).update(**{name: now[name] for name in NOW_MAPS if delta[name]})
    if created:
        UnitNow.objects.bulk_create(_of_existing_units(created))
    if emptied:
        UnitNow.objects.filter(unit_id__in=emptied).delete()


def _move(unit_id: int, old_path: str, new_path: str) -> None:
    """A unit moved in the tree: its subtree's totals leave the old ancestors for the new ones."""
    old = set(ancestor_ids(old_path)) - {unit_id}
    new = set(ancestor_ids(new_path)) - {unit_id}
    changes: dict[Key, Bucket] = {}
    for row in UnitMonth.objects.filter(unit_id=unit_id):
        bucket = bucket_of(row)
        for ancestor, sign in [(a, -1) for a in old - new] + [(a, 1) for a in new - old]:
            delta = empty_bucket()
            bucket_add(delta, bucket, sign=sign)
            changes[(ancestor, row.month)] = delta
    _apply(changes)
    row = UnitNow.objects.filter(unit_id=unit_id).first()
    if row is not None:
        now_changes: dict[int, Bucket] = {}
        for ancestor, sign in [(a, -1) for a in old - new] + [(a, 1) for a in new - old]:
            delta = empty_now()
            now_add(delta, now_of(row), sign=sign)
            now_changes[ancestor] = delta
        _apply_now(now_changes)


def recount(*, unit: Unit | None = None) -> dict[Key, Bucket]:
    """What the rollups should hold, counted from the rows: for every unit, or the subtree of `unit`."""
    units = Unit.objects.all() if unit is None else Unit.objects.filter(path__startswith=unit.path)
    paths = dict(units.values_list("id", "path"))
    totals: dict[Key, Bucket] = defaultdict(empty_bucket)
    for (unit_id, month), bucket in count_rows(path=None if unit is None else unit.path).items():
        for ancestor in ancestor_ids(paths[unit_id]):
            if ancestor in paths:
                bucket_add(totals[(ancestor, month)], bucket)
    return {key: bucket for key, bucket in totals.items() if not bucket_is_zero(bucket)}


def stored(*, unit: Unit | None = None) -> dict[Key, Bucket]:
    """What the rollups hold: for every unit, or the subtree of `unit`."""
    rows = UnitMonth.objects.all() if unit is None else UnitMonth.objects.filter(unit__path__startswith=unit.path)
    found = {(row.unit_id, row.month): bucket_of(row) for row in rows}
    return {key: bucket for key, bucket in found.items() if not bucket_is_zero(bucket)}


def recount_now(*, unit: Unit | None = None) -> dict[int, Bucket]:
    """What UnitNow should hold, counted from the concerns: for every unit, or a subtree."""
    units = Unit.objects.all() if unit is None else Unit.objects.filter(path__startswith=unit.path)
    paths = dict(units.values_list("id", "path"))
    totals: dict[int, Bucket] = defaultdict(empty_now)
    for unit_id, now in count_now(path=None if unit is None else unit.path).items():
        for ancestor in ancestor_ids(paths[unit_id]):
            if ancestor in paths:
                now_add(totals[ancestor], now)
    return {unit_id: now for unit_id, now in totals.items() if not now_is_zero(now)}


def stored_now(*, unit: Unit | None = None) -> dict[int, Bucket]:
    rows = UnitNow.objects.all() if unit is None else UnitNow.objects.filter(unit__path__startswith=unit.path)
    found = {row.unit_id: now_of(row) for row in rows}
    return {unit_id: now for unit_id, now in found.items() if not now_is_zero(now)}


def rebuild(*, unit: Unit | None = None) -> int:
    """Recount the rollups from scratch: everything, or the subtree of `unit`. Returns rows written.

    For a subtree, the difference its total makes is carried to the unit's ancestors too, so the
    rollups stay consistent all the way up.
    """
    with transaction.atomic():
        _lock()
        totals = recount(unit=unit)
        old_top: dict[datetime.date, Bucket] = {}
        if unit is not None:
            old_top = {row.month: bucket_of(row) for row in UnitMonth.objects.filter(unit=unit)}
            UnitMonth.objects.filter(unit__path__startswith=unit.path).delete()
            UnitYear.objects.filter(unit__path__startswith=unit.path).delete()
        else:
            UnitMonth.objects.all().delete()
            UnitYear.objects.all().delete()
        rows = [
            UnitMonth(unit_id=unit_id, month=month, **bucket) for (unit_id, month), bucket in sorted(totals.items())
        ]
        UnitMonth.objects.bulk_create(rows, batch_size=2_000)
        UnitYear.objects.bulk_create(
            [
                UnitYear(unit_id=unit_id, year=year, visited_months=mask)
                for (unit_id, year), mask in sorted(years_of(totals).items())
            ],
            batch_size=5_000,
        )
        if unit is not None:
            changes: dict[Key, Bucket] = {}
            months = set(old_top) | {month for unit_id, month in totals if unit_id == unit.pk}
            for month in months:
                delta = empty_bucket()
                bucket_add(delta, totals.get((unit.pk, month), empty_bucket()))
                bucket_add(delta, old_top.get(month, empty_bucket()), sign=-1)
                for ancestor in ancestor_ids(unit.path)[:-1]:
                    changes[(ancestor, month)] = delta
            _apply(changes)
        _rebuild_now(unit)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, or the planner guesses from an empty table
            tables = ", ".join(model._meta.db_table for model in (UnitMonth, UnitNow, UnitYear))
            cursor.execute(f"ANALYZE {tables}")
    return len(rows)


def refresh_response_limits(*, first: datetime.date, last: datetime.date, today: datetime.date) -> None:
    """Recount, for every unit, the months whose concerns' response limits may run over the days
    from `first` to `last`, which the calendar just changed (workdays.calendar_apply).

    A limit runs a few working days past the day raised, so concerns raised up to a month before
    `first` may count differently; months after today hold no concerns yet.
    """
    start = month_of(first - datetime.timedelta(days=31))
    end = month_of(min(last, today))
    if end < start:
        return
    months = [start]
    while months[-1] < end:
        months.append(next_month(months[-1]))
    fields = PART_FIELDS[RAISED]
    with transaction.atomic():
        _lock()
        paths = dict(Unit.objects.values_list("id", "path"))
        totals: dict[Key, Bucket] = defaultdict(empty_bucket)
        for (unit_id, month), bucket in count_rows(ranges=month_ranges(months), parts={RAISED}).items():
            for ancestor in ancestor_ids(paths[unit_id]):
                if ancestor in paths:
                    bucket_add(totals[(ancestor, month)], bucket, fields=fields)
        changes: dict[Key, Bucket] = {}
        for row in UnitMonth.objects.filter(month__in=months).values("unit_id", "month", *fields):
            key = (row["unit_id"], row["month"])
            delta = empty_bucket()
            bucket_add(delta, totals.pop(key, empty_bucket()), fields=fields)
            bucket_add(delta, bucket_of(row), sign=-1, fields=fields)
            changes[key] = delta
        changes.update(totals)  # months a unit had no row for yet
        _apply(changes)


def _rebuild_now(unit: Unit | None) -> None:
    totals = recount_now(unit=unit)
    if unit is None:
        UnitNow.objects.all().delete()
    else:
        old_top = next((now_of(row) for row in UnitNow.objects.filter(unit=unit)), empty_now())
        UnitNow.objects.filter(unit__path__startswith=unit.path).delete()
    UnitNow.objects.bulk_create(
        [UnitNow(unit_id=unit_id, **now) for unit_id, now in sorted(totals.items())], batch_size=2_000
    )
    if unit is not None:
        delta = empty_now()
        now_add(delta, totals.get(unit.pk, empty_now()))
        now_add(delta, old_top, sign=-1)
        _apply_now(dict.fromkeys(ancestor_ids(unit.path)[:-1], delta))


# --- when upkeep runs ---------------------------------------------------------------------------


class _State(threading.local):
    def __init__(self) -> None:
        self.pending: dict[int, tuple[set[datetime.date], set[str]]] | None = None
        # concern id → the events written for it in this service, (kind, time), counted at its end
        self.events: dict[int, set[tuple[str, datetime.datetime]]] = {}
        self.suspended = 0


_state = _State()

Service = TypeVar("Service", bound=Callable[..., Any])


def in_step(func: Service) -> Service:
    """Run a service in a transaction and refresh the rollups it touched once, at its end."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _state.pending is not None:  # called from another in_step service: it flushes
            return func(*args, **kwargs)
        with transaction.atomic():
            _state.pending, _state.events = {}, {}
            try:
                result = func(*args, **kwargs)
                _touch_events(_state.events)  # the concerns as the service left them
                pending = _state.pending
            finally:
                _state.pending, _state.events = None, {}
            _flush(pending)
        return result

    return wrapper  # type: ignore[return-value]


@contextmanager
def suspended():
    """Skip upkeep (a bulk load): run `rebuild()` afterwards, or the rollups will be wrong."""
    _state.suspended += 1
    try:
        yield
    finally:
        _state.suspended -= 1


def _flush(pending: dict[int, tuple[set[datetime.date], set[str]]]) -> None:
    if not pending:
        return
    _lock()
    for unit_id in sorted(pending):
        months, parts = pending[unit_id]
        _refresh(unit_id, months, parts)


def touch(unit_id: int | None, months: Iterable[datetime.date | None], parts: Iterable[str]) -> None:
    """Say that a unit's own rows changed in these months; refresh now or at the service's end."""
    months = {month_of(m) for m in months if m is not None}
    parts = set(parts)
    if _state.suspended or unit_id is None or not (months or NOW in parts):
        return
    if _state.pending is not None:
        known_months, known_parts = _state.pending.setdefault(unit_id, (set(), set()))
        known_months.update(months)
        known_parts.update(parts)
        return
    with transaction.atomic():
        _flush({unit_id: (months, parts)})


# --- signal receivers ---------------------------------------------------------------------------


def _month_of_time(moment: datetime.datetime | None) -> datetime.date | None:
    return month_of(local_date(moment)) if moment is not None else None


def _feedback_months(concern_id: int) -> set[datetime.date]:
    return {month_of(day) for day in Feedback.objects.filter(concern_id=concern_id).values_list("date", flat=True)}


def _supervision_months(concern: Concern) -> set[datetime.date]:
    """The months a concern counts in for SUPERVISION: when it came under supervision, and when
    each of its extension requests was approved."""
    moments = ExtensionRequest.objects.filter(
        concern_id=concern.pk, status=ExtensionRequest.Status.APPROVED, decided_at__isnull=False
    ).values_list("decided_at", flat=True)
    return {month_of(local_date(moment)) for moment in moments} | {_month_of_time(concern.supervised_at)}


def _resolved_event_months(concern_id: int) -> set[datetime.date]:
    moments = ConcernEvent.objects.filter(concern_id=concern_id, kind=ConcernEvent.Kind.RESOLVED).values_list(
        "created_at", flat=True
    )
    return {month_of(local_date(moment)) for moment in moments}


def _visit_pre_save(sender, instance: Visit, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended or instance._state.adding or instance.pk is None:
        return
    instance._rollups_before = Visit.objects.filter(pk=instance.pk).values_list("unit_id", "date").first()


def _visit_saved(sender, instance: Visit, raw: bool = False, **kwargs) -> None:
    if raw:  # loading a fixture or an import: rebuild afterwards
        return
    before = getattr(instance, "_rollups_before", None)
    instance._rollups_before = None
    if before and (before[0] != instance.unit_id or month_of(before[1]) != month_of(instance.date)):
        touch(before[0], [before[1]], {VISITS})
    touch(instance.unit_id, [instance.date], {VISITS})


def _visit_deleted(sender, instance: Visit, **kwargs) -> None:
    touch(instance.unit_id, [instance.date], {VISITS})


def _visit_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if _state.suspended:
        return
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            touch(instance.unit_id, [instance.date], {VISITS})
        return
    if action == "pre_clear":
        instance._rollups_cleared = list(Visit.objects.filter(principles=instance).values_list("unit_id", "date"))
    elif action in ("post_add", "post_remove", "post_clear"):
        if action == "post_clear":
            rows = getattr(instance, "_rollups_cleared", [])
        else:
            rows = Visit.objects.filter(pk__in=pk_set or []).values_list("unit_id", "date")
        for unit_id, date in rows:
            touch(unit_id, [date], {VISITS})


def _concern_pre_save(sender, instance: Concern, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended or instance._state.adding or instance.pk is None:
        return
    instance._rollups_before = (
        Concern.objects.filter(pk=instance.pk)
        .values_list("unit_id", "raised_at", "resolved_at", "supervised_at")
        .first()
    )


def _concern_saved(sender, instance: Concern, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended:
        return
    months = {_month_of_time(instance.raised_at), _month_of_time(instance.resolved_at)}
    parts = CONCERN_PARTS
    before = getattr(instance, "_rollups_before", None)
    instance._rollups_before = None
    if not created:  # a new concern is neither supervised nor extended yet
        months |= _feedback_months(instance.pk) | _supervision_months(instance)
        parts = CONCERN_PARTS | {SUPERVISION}
    if before:
        old_months = months | {_month_of_time(before[1]), _month_of_time(before[2]), _month_of_time(before[3])}
        months = old_months
        if before[0] != instance.unit_id:
            touch(before[0], old_months, parts)
    touch(instance.unit_id, months, parts)


def _concern_deleted(sender, instance: Concern, **kwargs) -> None:
    months = [_month_of_time(instance.raised_at), _month_of_time(instance.resolved_at)]
    touch(instance.unit_id, [*months, _month_of_time(instance.supervised_at)], CONCERN_PARTS | {SUPERVISION})


def _concern_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if _state.suspended or action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            touch(instance.unit_id, [_month_of_time(instance.raised_at)], {CONCERN_TAGS})
        return
    if action == "pre_clear":
        instance._rollups_cleared = list(
            Concern.objects.filter(principles=instance).values_list("unit_id", "raised_at")
        )
        return
    if action == "post_clear":
        rows = getattr(instance, "_rollups_cleared", [])
    else:
        rows = Concern.objects.filter(pk__in=pk_set or []).values_list("unit_id", "raised_at")
    for unit_id, raised_at in rows:
        touch(unit_id, [_month_of_time(raised_at)], {CONCERN_TAGS})


# The events after which a concern's counted figures may differ, and which parts they touch.
_EVENT_PARTS = {
    ConcernEvent.Kind.STARTED: frozenset({RAISED, NOW}),  # taken up: the response counters, no longer waiting
    ConcernEvent.Kind.ASSESSED: frozenset({RAISED}),  # policy-limited or not
    ConcernEvent.Kind.RESOLVED: frozenset({RAISED, RESOLVED, NOW}),
    ConcernEvent.Kind.REOPENED: frozenset({RAISED, RESOLVED, NOW}),  # its callback counts by itself
    ConcernEvent.Kind.WITHDRAWN: CONCERN_PARTS | {SUPERVISION},  # out of every figure, callbacks included
    ConcernEvent.Kind.EDITED: CONCERN_PARTS | {SUPERVISION},
    ConcernEvent.Kind.DUE_CHANGED: frozenset({NOW}),  # overdue now
    ConcernEvent.Kind.EXTENSION_APPROVED: frozenset({NOW, SUPERVISION}),
    ConcernEvent.Kind.SUPERVISED: frozenset({NOW, SUPERVISION}),
}


def _event_saved(sender, instance: ConcernEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """Status changes are written with UPDATE (no Concern post_save); their events say what changed.

    What an event touches is worked out from the concern as it stands once the writing service is
    done (@in_step: at its end), read afresh from the database: a service may write its event
    before or after the rows it describes (the extension request marked approved, supervised_at
    set) and the figures come out the same.
    """
    if raw or _state.suspended or not created or instance.kind not in _EVENT_PARTS:
        return
    events = {instance.concern_id: {(instance.kind, instance.created_at)}}
    if _state.pending is not None:
        _state.events.setdefault(instance.concern_id, set()).update(events[instance.concern_id])
        return
    with transaction.atomic():
        _touch_events(events)


def _touch_events(events: dict[int, set[tuple[str, datetime.datetime]]]) -> None:
    """Touch the months and parts that these concerns' new events changed, from their rows as they are now."""
    if not events:
        return
    concerns = Concern.objects.in_bulk(sorted(events))
    for concern_id, written in sorted(events.items()):
        concern = concerns.get(concern_id)
        if concern is None:
            continue
        for kind, created_at in sorted(written):
            parts = _EVENT_PARTS[kind]
            months = set()
            if parts & CONCERNS:
                months |= {_month_of_time(concern.raised_at), _month_of_time(concern.resolved_at)}
            if kind in (ConcernEvent.Kind.REOPENED, ConcernEvent.Kind.EDITED):
                months |= _resolved_event_months(concern.pk)  # the resolution a reopening cancelled
            if kind in (ConcernEvent.Kind.WITHDRAWN, ConcernEvent.Kind.EDITED):
                months |= _feedback_months(concern.pk)  # a withdrawn concern's callbacks count nowhere
                months |= _supervision_months(concern)  # nor its supervision and extensions
            elif SUPERVISION in parts:  # supervised or extended now
                months |= {_month_of_time(concern.supervised_at), _month_of_time(created_at)}
            touch(concern.unit_id, months, parts)


def _feedback_pre_save(sender, instance: Feedback, raw: bool = False, **kwargs) -> None:
    if raw or _state.suspended or instance._state.adding or instance.pk is None:
        return
    instance._rollups_before = Feedback.objects.filter(pk=instance.pk).values_list("concern__unit_id", "date").first()


def _feedback_saved(sender, instance: Feedback, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_rollups_before", None)
    instance._rollups_before = None
    unit_id = instance.concern.unit_id
    if before and (before[0] != unit_id or month_of(before[1]) != month_of(instance.date)):
        touch(before[0], [before[1]], {CALLBACKS})
    touch(unit_id, [instance.date], {CALLBACKS})


def _feedback_deleted(sender, instance: Feedback, **kwargs) -> None:
    touch(instance.concern.unit_id, [instance.date], {CALLBACKS})


def _unit_pre_save(sender, instance: Unit, raw: bool = False, **kwargs) -> None:
    instance._rollups_path = None
    if raw:
        return
    if instance._state.adding or instance.pk is None:
        instance._rollups_new = True
        return
    if instance.__dict__.pop("_rollups_new", False):  # Unit.save's second write of a new unit
        return
    instance._rollups_path = Unit.objects.filter(pk=instance.pk).values_list("path", flat=True).first()


def _unit_saved(sender, instance: Unit, created: bool, **kwargs) -> None:
    old_path, instance._rollups_path = getattr(instance, "_rollups_path", None), None
    if created or not old_path or old_path == instance.path or _state.suspended:
        return
    with transaction.atomic():
        _lock()
        _move(instance.pk, old_path, instance.path)


def connect() -> None:
    """Connect the receivers (FieldworkConfig.ready)."""
    receivers = [
        (pre_save, _visit_pre_save, Visit),
        (post_save, _visit_saved, Visit),
        (post_delete, _visit_deleted, Visit),
        (m2m_changed, _visit_tags_changed, Visit.principles.through),
        (pre_save, _concern_pre_save, Concern),
        (post_save, _concern_saved, Concern),
        (post_delete, _concern_deleted, Concern),
        (m2m_changed, _concern_tags_changed, Concern.principles.through),
        (post_save, _event_saved, ConcernEvent),
        (pre_save, _feedback_pre_save, Feedback),
        (post_save, _feedback_saved, Feedback),
        (post_delete, _feedback_deleted, Feedback),
        (pre_save, _unit_pre_save, Unit),
        (post_save, _unit_saved, Unit),
    ]
    for signal, receiver, sender in receivers:
        signal.connect(receiver, sender=sender, dispatch_uid=f"rollups.{receiver.__name__}")
