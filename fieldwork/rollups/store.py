"""Writing the rollups: recounting a unit's own figures for some months and carrying the difference
up its ancestors, moving a subtree, and rebuilding everything or one unit's subtree."""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F, Q

from .. import contact_points
from ..models import RollupStamp, Unit, UnitMonth, UnitNow, UnitYear
from . import days, sql
from .counting import (
    COUNTERS,
    FIELDS,
    MAPS,
    MONTHLY_PARTS,
    NOW,
    NOW_MAPS,
    PART_FIELDS,
    RAISED,
    RULES,
    Bucket,
    Key,
    ancestor_ids,
    bucket_add,
    bucket_is_zero,
    bucket_of,
    count_now,
    count_rows,
    empty_bucket,
    empty_now,
    month_of,
    month_ranges,
    next_month,
    now_add,
    now_is_zero,
    now_of,
)

# Any constant will do: it names "the rollup upkeep" among PostgreSQL's advisory locks.
LOCK_KEY = 7_390_125_001

# --- writing rollups ----------------------------------------------------------------------------


def lock() -> None:
    """Serialise rollup upkeep on PostgreSQL until the transaction ends (SQLite has one writer),
    and say that the dashboards' figures may change (`stamp_renew`)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    stamp_renew()


def stamp_renew() -> None:
    """Give the dashboard stamp (RollupStamp) a new value: pages cached under the old one are not
    served again. Part of the caller's transaction, so a change that rolls back renews nothing."""
    value = secrets.randbits(62)
    if not RollupStamp.objects.filter(pk=1).update(value=value):
        RollupStamp.objects.update_or_create(pk=1, defaults={"value": value})


def rebuild_if_outdated(*, stdout=None) -> bool:
    """Rebuild every rollup when the stored ones were counted by older rules (RollupStamp.rules <
    counting.RULES): run after `migrate` (apps.py), so an upgrade that adds a figure fills it for the
    past too. A database with no unit only records the rules. Returns whether it rebuilt."""
    if RollupStamp.objects.filter(pk=1, rules__gte=RULES).exists():
        return False
    if not Unit.objects.exists():
        _rules_record()
        return False
    if stdout is not None:
        stdout.write("Rebuilding the dashboard rollups for the new counting rules (minutes at a million visits)...\n")
    rebuild()
    return True


def _rules_record() -> None:
    if not RollupStamp.objects.filter(pk=1).update(rules=RULES):
        RollupStamp.objects.update_or_create(pk=1, defaults={"rules": RULES})


def stamp() -> int | None:
    """The dashboard stamp's value now; None if the row is missing (nothing may then be cached)."""
    return RollupStamp.objects.filter(pk=1).values_list("value", flat=True).first()


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


def refresh(unit_id: int, months: set[datetime.date], parts: set[str]) -> None:
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
    days.refresh(unit_id, months, parts)  # the day rows of the periods that cut into months


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


def move_subtree(unit_id: int, old_path: str, new_path: str) -> None:
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
    days.moved(old_path, new_path)


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
    rollups stay consistent all the way up. On PostgreSQL the database counts (sql.py, the rules of
    counting.py in SQL), the day rows from the same facts; elsewhere Python does, by recount,
    recount_now and days.recount.
    """
    with transaction.atomic():
        lock()
        old_top: dict[datetime.date, Bucket] = {}
        old_top_now = empty_now()
        if unit is not None:
            old_top = {row.month: bucket_of(row) for row in UnitMonth.objects.filter(unit=unit)}
            old_top_now = next((now_of(row) for row in UnitNow.objects.filter(unit=unit)), empty_now())
            UnitMonth.objects.filter(unit__path__startswith=unit.path).delete()
            UnitYear.objects.filter(unit__path__startswith=unit.path).delete()
            UnitNow.objects.filter(unit__path__startswith=unit.path).delete()
        else:
            UnitMonth.objects.all().delete()
            UnitYear.objects.all().delete()
            UnitNow.objects.all().delete()
        if connection.vendor == "postgresql":
            written = sql.rebuild_rows(path=None if unit is None else unit.path)
            write_days = sql.rebuild_days  # the day rows from the same facts
        else:
            written = _rebuild_rows(unit)
            write_days = None
        if unit is not None:
            _carry_up(unit, old_top, old_top_now)
        days.rebuild(unit=unit, write=write_days)
        contact_points.refresh_all()  # the contact points' stored last visits (联系点), loaded past the services too
        if unit is None:
            _rules_record()  # counted by today's rules
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, or the planner guesses from an empty table
            tables = ", ".join(model._meta.db_table for model in (UnitMonth, UnitNow, UnitYear))
            cursor.execute(f"ANALYZE {tables}")
    return written


def _rebuild_rows(unit: Unit | None) -> int:
    """rebuild's rows counted in Python (store.recount, recount_now), where sql.py does not serve."""
    totals = recount(unit=unit)
    rows = [UnitMonth(unit_id=unit_id, month=month, **bucket) for (unit_id, month), bucket in sorted(totals.items())]
    UnitMonth.objects.bulk_create(rows, batch_size=2_000)
    UnitYear.objects.bulk_create(
        [
            UnitYear(unit_id=unit_id, year=year, visited_months=mask)
            for (unit_id, year), mask in sorted(years_of(totals).items())
        ],
        batch_size=5_000,
    )
    UnitNow.objects.bulk_create(
        [UnitNow(unit_id=unit_id, **now) for unit_id, now in sorted(recount_now(unit=unit).items())],
        batch_size=2_000,
    )
    return len(rows)


def _carry_up(unit: Unit, old_top: dict[datetime.date, Bucket], old_top_now: Bucket) -> None:
    """A subtree rebuilt: the difference its top unit's totals make, carried to the ancestors above."""
    new_top = {row.month: bucket_of(row) for row in UnitMonth.objects.filter(unit=unit)}
    changes: dict[Key, Bucket] = {}
    for month in set(old_top) | set(new_top):
        delta = empty_bucket()
        bucket_add(delta, new_top.get(month, empty_bucket()))
        bucket_add(delta, old_top.get(month, empty_bucket()), sign=-1)
        for ancestor in ancestor_ids(unit.path)[:-1]:
            changes[(ancestor, month)] = delta
    _apply(changes)
    delta = empty_now()
    now_add(delta, next((now_of(row) for row in UnitNow.objects.filter(unit=unit)), empty_now()))
    now_add(delta, old_top_now, sign=-1)
    _apply_now(dict.fromkeys(ancestor_ids(unit.path)[:-1], delta))


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
        lock()
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
        days.recount_months(months, {RAISED})
