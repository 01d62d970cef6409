"""What the rollups count and how: the parts of a unit's figures, the counting rules (one definition
each, used by upkeep, rebuild and the dashboard's live edges), buckets, and the queries that count
rows into them. Reads only; `store` writes."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from .. import workdays
from ..models import Concern, ExtensionRequest, Feedback, UnitMonth, UnitNow, Visit

# The version of the rules below and of the fields they fill. Raise it with any change that makes the
# stored rollups differ from a recount (a new counter, a rule counted otherwise): `migrate` then
# rebuilds them once (store.rebuild_if_outdated), so an upgraded installation never shows a new figure
# as zero. 2: the callback figures (issue 18). 3: visits_backdated, and grassroots units are the
# active units with no active unit anywhere below them (issue 20; coverage is not stored, but an
# upgrade rebuilds once all the same).
RULES = 3

# The parts of a unit's figures that a change may touch; each is recounted by its own query.
VISITS = "visits"  # visits, people reached and visits by principle, by the visit's month
RAISED = "raised"  # the concern counters and categories by the month raised
CONCERN_TAGS = "concern_tags"  # concerns by principle, by the month raised
RESOLVED = "resolved"  # resolved, on time and days to resolve, by the month of the latest resolution
CALLBACKS = "callbacks"  # callbacks by their month (the within-limit share among them)
# Concerns closed in a final state apart from `closed` (unreachable, no answer), by the month of closed_at.
FINAL = "final"
NOW = "now"  # UnitNow: the concerns open today, and those awaiting a callback
# Concerns that came under supervision (by the month of supervised_at) and extensions approved (by
# the month of the decision). Apart from CONCERNS: a concern just raised has neither, so raising
# one does not recount them.
SUPERVISION = "supervision"
CONCERNS = frozenset({RAISED, CONCERN_TAGS, RESOLVED, CALLBACKS, FINAL})
MONTHLY_PARTS = frozenset({VISITS, SUPERVISION}) | CONCERNS
ALL_PARTS = MONTHLY_PARTS | {NOW}
CONCERN_PARTS = CONCERNS | {NOW}
NOW_MAPS = ("open_by_due", "waiting_by_raised", "supervised_by_due", "callbacks_by_from", "callbacks_by_due")

VISIT_COUNTERS = ("visits", "people_reached", "visits_backdated")
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
    "callbacks_due",
    "callbacks_in_time",
    "unreachable",
    "no_answer",
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
    CALLBACKS: ("callbacks", "satisfied", "dissatisfied", "callbacks_due", "callbacks_in_time"),
    FINAL: ("unreachable", "no_answer"),
    SUPERVISION: ("supervised", "extensions_granted"),
}

DONE = Concern.DONE_STATUSES  # resolved, closed, unreachable, no answer: counted as resolved (the work was done)
# The final states apart from `closed`, each its own counter by the day closed (never in the satisfaction rate).
FINAL_COUNTERS = {Concern.Status.UNREACHABLE.value: "unreachable", Concern.Status.NO_ANSWER.value: "no_answer"}
ACTIVE = Concern.ACTIVE_STATUSES
SATISFIED = (Feedback.Satisfaction.SATISFIED, Feedback.Satisfaction.BASICALLY)

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


def _month_value(value, day: bool = False) -> datetime.date:
    """The key of a counted group: its month, or with `day` its day, as returned by _bucket_of."""
    if day:
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, timezone.get_default_timezone()).date().replace(day=1)
    return value.replace(day=1)


def _bucket_of(date_field: str, *, day: bool, zone=None):
    """The expression grouping rows by the month (or with `day` the day) of a date or a moment."""
    if zone is None:  # a date
        return F(date_field) if day else TruncMonth(date_field)
    return TruncDate(date_field, tzinfo=zone) if day else TruncMonth(date_field, tzinfo=zone)


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
    day: bool = False,
) -> dict[Key, Bucket]:
    """Count units' own rows into buckets keyed by (unit id, month), or with `day` (unit id, day).

    `unit_ids` or `path` (a subtree) or neither (everything); `ranges` a list of
    [first day, day after last) or None for all time. Eight queries at most, whatever the size.
    """
    parts = set(parts)
    stream = unit_ids is None and path is None and ranges is None
    buckets: dict[Key, Bucket] = defaultdict(empty_bucket)
    if VISITS in parts:
        visits = (
            Visit.objects.filter(_unit_q("", unit_ids, path) & _date_q("date", ranges))
            .annotate(month=_bucket_of("date", day=day))
            .values("unit_id", "month")
            .annotate(n=Count("id"), people=Sum("people_reached"), backdated=Count("id", filter=Q(backdated=True)))
            .order_by()
        )
        for row in visits:
            bucket = buckets[(row["unit_id"], _month_value(row["month"], day))]
            bucket["visits"] += row["n"]
            bucket["people_reached"] += row["people"] or 0
            bucket["visits_backdated"] += row["backdated"]
        tags = (
            Visit.principles.through.objects.filter(_unit_q("visit__", unit_ids, path) & _date_q("visit__date", ranges))
            .annotate(month=_bucket_of("visit__date", day=day))
            .values("visit__unit_id", "month", "principle_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in tags:
            counts = buckets[(row["visit__unit_id"], _month_value(row["month"], day))]["visits_by_principle"]
            key = str(row["principle_id"])
            counts[key] = counts.get(key, 0) + row["n"]
    if parts & CONCERNS:
        _count_concerns(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, parts=parts, day=day)
    if SUPERVISION in parts:
        _count_supervision(buckets, unit_ids=unit_ids, path=path, ranges=ranges, day=day)
    return dict(buckets)


def _count_concerns(buckets, *, unit_ids, path, ranges, stream: bool, parts: set[str], day: bool) -> None:
    # Local days are worked out by the database (TruncDate in the configured time zone), and rows
    # alike are grouped there: Python applies the response limit once per group.
    zone = timezone.get_default_timezone()
    if RAISED in parts:
        _count_raised(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, zone=zone, day=day)
    if CONCERN_TAGS in parts:
        _count_concern_tags(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, zone=zone, day=day)
    if RESOLVED in parts:
        _count_resolved(buckets, unit_ids=unit_ids, path=path, ranges=ranges, stream=stream, zone=zone, day=day)
    if CALLBACKS in parts:
        _count_callbacks(buckets, unit_ids=unit_ids, path=path, ranges=ranges, day=day)
    if FINAL in parts:
        _count_final(buckets, unit_ids=unit_ids, path=path, ranges=ranges, zone=zone, day=day)


def _count_raised(buckets, *, unit_ids, path, ranges, stream: bool, zone, day: bool) -> None:
    raised = (
        Concern.objects.filter(_unit_q("", unit_ids, path) & _time_q("raised_at", ranges))
        .annotate(raised_on=TruncDate("raised_at", tzinfo=zone), taken_on=TruncDate("taken_up_at", tzinfo=zone))
        .values("unit_id", "raised_on", "taken_on", "status", "solvability", "category_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "raised_on", "taken_on", "status", "solvability", "category_id", "n")
    )
    for unit_id, raised_on, taken_on, status, solvability, category_id, n in _rows(raised, stream=stream):
        bucket = buckets[(unit_id, raised_on if day else raised_on.replace(day=1))]
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


def _count_concern_tags(buckets, *, unit_ids, path, ranges, stream: bool, zone, day: bool) -> None:
    tags = (
        Concern.principles.through.objects.filter(
            _unit_q("concern__", unit_ids, path) & _time_q("concern__raised_at", ranges)
        )
        .exclude(concern__status=Concern.Status.WITHDRAWN)
        .annotate(month=_bucket_of("concern__raised_at", day=day, zone=zone))
        .values("concern__unit_id", "month", "principle_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("concern__unit_id", "month", "principle_id", "n")
    )
    for unit_id, month, principle_id, n in _rows(tags, stream=stream):
        counts = buckets[(unit_id, _month_value(month, day))]["concerns_by_principle"]
        counts[str(principle_id)] = counts.get(str(principle_id), 0) + n


def _count_resolved(buckets, *, unit_ids, path, ranges, stream: bool, zone, day: bool) -> None:
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
        bucket = buckets[(unit_id, resolved_on if day else resolved_on.replace(day=1))]
        bucket["resolved"] += 1
        bucket["resolved_on_time"] += resolved_on <= due_date  # on or before the due date (as extended)
        days = str(days_to_resolve(raised_at, resolved_at))
        bucket["days_to_resolve"][days] = bucket["days_to_resolve"].get(days, 0) + 1


def _count_callbacks(buckets, *, unit_ids, path, ranges, day: bool) -> None:
    callbacks = (
        Feedback.objects.filter(_unit_q("concern__", unit_ids, path) & _date_q("date", ranges))
        .exclude(concern__status=Concern.Status.WITHDRAWN)
        .annotate(month=_bucket_of("date", day=day))
        .values("concern__unit_id", "month", "satisfaction")
        .annotate(
            n=Count("id"),
            # answering a resolution: recorded with the concern's callback deadline; in time on or before it
            due=Count("id", filter=Q(due_date__isnull=False)),
            in_time=Count("id", filter=Q(date__lte=F("due_date"))),
        )
        .order_by()
    )
    for row in callbacks:
        bucket = buckets[(row["concern__unit_id"], _month_value(row["month"], day))]
        bucket["callbacks"] += row["n"]
        bucket["callbacks_due"] += row["due"]
        bucket["callbacks_in_time"] += row["in_time"]
        if row["satisfaction"] in SATISFIED:
            bucket["satisfied"] += row["n"]
        elif row["satisfaction"] == Feedback.Satisfaction.DISSATISFIED:
            bucket["dissatisfied"] += row["n"]


def _count_final(buckets, *, unit_ids, path, ranges, zone, day: bool) -> None:
    """Concerns whose status is now unreachable or no answer, by the day (month) they were closed."""
    final = (
        Concern.objects.filter(
            _unit_q("", unit_ids, path) & _time_q("closed_at", ranges),
            status__in=list(FINAL_COUNTERS),
            closed_at__isnull=False,
        )
        .annotate(month=_bucket_of("closed_at", day=day, zone=zone))
        .values("unit_id", "month", "status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit_id", "month", "status", "n")
    )
    for unit_id, month, status, n in final:
        buckets[(unit_id, _month_value(month, day))][FINAL_COUNTERS[status]] += n


def _count_supervision(buckets, *, unit_ids, path, ranges, day: bool) -> None:
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
            .annotate(month=_bucket_of(moment, day=day, zone=timezone.get_default_timezone()))
            .values(f"{prefix}unit_id", "month")
            .annotate(n=Count("id"))
            .order_by()
            .values_list(f"{prefix}unit_id", "month", "n")
        )
        for unit_id, month, n in monthly:
            buckets[(unit_id, _month_value(month, day))][counter] += n


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
    limit or not: the reader decides by date); and the resolved ones that will be called back
    (callback_from set), by the day they join the callback queue and by their callback deadline
    (awaiting today, overdue today: the reader decides by date)."""
    counts: dict[int, Bucket] = defaultdict(empty_now)
    rows = (
        Concern.objects.filter(
            _unit_q("", unit_ids, path),
            Q(status__in=ACTIVE) | Q(status=Concern.Status.RESOLVED, callback_from__isnull=False),
        )
        .values_list(
            "unit_id",
            "status",
            "due_date",
            "taken_up_at",
            "raised_at",
            "supervised_at",
            "callback_from",
            "callback_due",
        )
        .order_by()
    )
    for unit_id, status, due_date, taken_up_at, raised_at, supervised_at, callback_from, callback_due in _rows(
        rows, stream=unit_ids is None and path is None
    ):
        now = counts[unit_id]
        if status == Concern.Status.RESOLVED:
            key = callback_from.isoformat()
            now["callbacks_by_from"][key] = now["callbacks_by_from"].get(key, 0) + 1
            if callback_due is not None:
                key = callback_due.isoformat()
                now["callbacks_by_due"][key] = now["callbacks_by_due"].get(key, 0) + 1
            continue
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
