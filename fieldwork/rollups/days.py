"""Day rows (UnitDay): a subtree's figures per day, for the dashboard periods that cut into months.

A period such as 15 March – 20 August reads its whole months from UnitMonth and the days of the
months it only cuts into from here. Day rows are kept only where counting those days live would
be slow, for the *kept* units:

- an *upper* unit is one with grandchildren (the root and the branches of a company): its rows hold
  its subtree's totals per day;
- a child of an upper unit is kept too (a workshop): its rows give the upper unit's child table.

Below a kept unit that is not upper (a workshop and its teams) subtrees are small: a dashboard
there counts the days live (counting.count_rows), and so does the upkeep.

How they stay right (as the monthly rows, see the package's docstring): when the rows of unit u
change in some months, `refresh` recounts, day by day over those months, the figures of S, the
nearest kept unit at or above u: S's own rows if S is upper (S's own = row(S) − Σ row(children),
its children being kept), else S's whole small subtree; it diffs them against what the day rows
hold and carries the difference to S and every unit above it (all of them upper, so all kept).
Recounting makes it idempotent and self-healing. Whether a unit is kept depends on the tree, so
a unit added under a unit without grandchildren, or moved, rebuilds the day rows of the smallest
subtree whose kept units may have changed.

The counting rules are counting.py's, unchanged: count_rows with `day=True`.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, Sum

from ..models import Unit, UnitDay, Visit
from .counting import (
    COUNTERS,
    FIELDS,
    MAPS,
    MONTHLY_PARTS,
    PART_FIELDS,
    Bucket,
    Key,
    Ranges,
    ancestor_ids,
    bucket_add,
    bucket_is_zero,
    bucket_of,
    count_rows,
    empty_bucket,
    month_ranges,
)

# The counters a child's line on the dashboard reads (dashboard.ChildRow): summed by the database.
CHILD_COUNTERS = COUNTERS


# --- which units are kept ---------------------------------------------------------------------


def _kept_sets(tree: dict[int, tuple[str, int | None]]) -> tuple[set[int], set[int]]:
    """(upper units, kept units) of a tree {id: (path, parent id)}."""
    upper: set[int] = set()
    for path, _parent in tree.values():
        ids = ancestor_ids(path)
        if len(ids) >= 3:
            upper.update(ids[:-2])
    kept = upper | {unit_id for unit_id, (_path, parent) in tree.items() if parent in upper}
    return upper, kept


Move = tuple[str, str] | None


def _whole_tree(moved: Move = None) -> dict[int, tuple[str, int | None]]:
    """{id: (path, parent id)} of every unit. `moved` = (old path, new path) of a unit being moved:
    Unit.save rewrites the paths below it only after its own save (and the receivers), so those
    are read here as they will be."""
    tree = {pk: (path, parent) for pk, path, parent in Unit.objects.order_by().values_list("pk", "path", "parent_id")}
    if moved is not None:
        old, new = moved
        tree = {
            pk: (new + path[len(old) :] if path.startswith(old) else path, parent)
            for pk, (path, parent) in tree.items()
        }
    return tree


def _kept_line(unit_id: int) -> tuple[list[int], bool]:
    """The kept units at or above a unit, root first, and whether the last of them is upper.

    Two queries whatever the tree's size: every unit two levels above u is upper (u is its
    grandchild or deeper); the parent is upper if u has children, u if it has grandchildren.
    """
    row = Unit.objects.filter(pk=unit_id).values_list("path", "depth").first()
    if row is None or not row[0]:
        return [], False
    path, depth = row
    ids = ancestor_ids(path)
    top_path = "/" + "".join(f"{pk}/" for pk in ids[:-1]) if len(ids) > 1 else path
    deepest = Unit.objects.filter(path__startswith=top_path).aggregate(
        below_parent=Max("depth"), below_self=Max("depth", filter=Q(path__startswith=path))
    )
    self_upper = (deepest["below_self"] or depth) >= depth + 2
    parent_upper = len(ids) > 1 and (deepest["below_parent"] or depth) >= depth + 1
    grandparent_upper = len(ids) > 2  # u is its grandchild
    line: list[tuple[int, bool]] = [(pk, True) for pk in ids[:-2]]
    if len(ids) > 1 and (parent_upper or grandparent_upper):
        line.append((ids[-2], parent_upper))
    if self_upper or parent_upper:
        line.append((ids[-1], self_upper))
    return [pk for pk, _upper in line], bool(line) and line[-1][1]


# --- reading and writing day rows --------------------------------------------------------------


def _day_q(ranges: Ranges) -> Q:
    q = Q(pk__in=[])
    for first, after in ranges:
        q |= Q(day__gte=first, day__lt=after)
    return q


def stored(*, unit: Unit | None = None) -> dict[Key, Bucket]:
    """What the day rows hold: for every unit, or the subtree of `unit`."""
    rows = UnitDay.objects.all() if unit is None else UnitDay.objects.filter(unit__path__startswith=unit.path)
    found = {(row.unit_id, row.day): bucket_of(row) for row in rows}
    return {key: bucket for key, bucket in found.items() if not bucket_is_zero(bucket)}


def _apply(changes: dict[Key, Bucket]) -> None:
    """Add each delta to its (unit, day) row: at most one INSERT, one UPDATE and one DELETE."""
    changes = {key: delta for key, delta in changes.items() if not bucket_is_zero(delta)}
    if not changes:
        return
    unit_ids = sorted({unit_id for unit_id, _day in changes})
    days = sorted({day for _unit_id, day in changes})
    existing = {
        (row.unit_id, row.day): row
        for row in UnitDay.objects.filter(unit_id__in=unit_ids, day__gte=days[0], day__lte=days[-1]).order_by(
            "unit_id", "day"
        )
    }
    created, updated, emptied = [], [], []
    changed_fields: set[str] = set()
    for key in sorted(changes):
        row, delta = existing.get(key), changes[key]
        bucket = bucket_of(row) if row is not None else empty_bucket()
        bucket_add(bucket, delta)
        if row is None:
            if not bucket_is_zero(bucket):
                created.append(UnitDay(unit_id=key[0], day=key[1], **bucket))
        elif bucket_is_zero(bucket):
            emptied.append(row.pk)
        else:
            for name in FIELDS:
                if delta[name]:
                    setattr(row, name, bucket[name])
                    changed_fields.add(name)
            updated.append(row)
    if created:
        existing_units = set(Unit.objects.filter(pk__in={row.unit_id for row in created}).values_list("pk", flat=True))
        UnitDay.objects.bulk_create([row for row in created if row.unit_id in existing_units])
    if updated:
        UnitDay.objects.bulk_update(updated, sorted(changed_fields))
    if emptied:
        UnitDay.objects.filter(pk__in=emptied).delete()


def _by_day(buckets: dict[Key, Bucket], fields: Iterable[str] = FIELDS) -> dict[datetime.date, Bucket]:
    """Buckets of several units summed per day."""
    fields = tuple(fields)
    out: dict[datetime.date, Bucket] = defaultdict(empty_bucket)
    for (_unit_id, day), bucket in buckets.items():
        bucket_add(out[day], bucket, fields=fields)
    return out


def refresh(unit_id: int, months: set[datetime.date], parts: set[str]) -> None:
    """Recount, day by day over `months`, the figures of the nearest kept unit at or above
    `unit_id` (its own rows if it is upper, else its small subtree) and carry the difference up.
    Called by store.refresh in the same transaction, under the same lock."""
    parts = set(parts) & MONTHLY_PARTS
    if not months or not parts:
        return
    line, upper = _kept_line(unit_id)
    if not line:
        return
    kept = line[-1]
    fields = tuple(name for part in sorted(parts) for name in PART_FIELDS[part])
    ranges = month_ranges(months)
    if upper:
        fresh = _by_day(count_rows(unit_ids=[kept], ranges=ranges, parts=parts, day=True), fields)
        rows = UnitDay.objects.filter(Q(unit_id=kept) | Q(unit__parent_id=kept), _day_q(ranges))
    else:
        path = Unit.objects.filter(pk=kept).values_list("path", flat=True).get()
        fresh = _by_day(count_rows(path=path, ranges=ranges, parts=parts, day=True), fields)
        rows = UnitDay.objects.filter(unit_id=kept).filter(_day_q(ranges))
    held: dict[datetime.date, Bucket] = defaultdict(empty_bucket)
    for row in rows.values("unit_id", "day", *fields):
        values = empty_bucket()
        for name in fields:
            values[name] = row[name] if name in COUNTERS else {str(k): v for k, v in (row[name] or {}).items()}
        bucket_add(held[row["day"]], values, sign=1 if row["unit_id"] == kept else -1, fields=fields)
    changes: dict[Key, Bucket] = {}
    for day in sorted(set(fresh) | set(held)):
        delta = empty_bucket()
        bucket_add(delta, fresh.get(day, empty_bucket()), fields=fields)
        bucket_add(delta, held.get(day, empty_bucket()), sign=-1, fields=fields)
        if not bucket_is_zero(delta):
            for ancestor in line:
                changes[(ancestor, day)] = delta
    _apply(changes)


def _owners(*, unit: Unit | None = None, moved: Move = None) -> dict[int, list[int]]:
    """{unit id: the kept units at or above it, root first} for every unit that has any: of the
    whole tree, or of a subtree (its kept units only)."""
    tree = _whole_tree(moved)
    _upper, kept = _kept_sets(tree)
    if unit is not None:
        kept = {pk for pk in kept if tree[pk][0].startswith(unit.path)}
    owners: dict[int, list[int]] = {}
    if not kept:
        return owners
    for pk, (path, _parent) in tree.items():
        if unit is None or path.startswith(unit.path):
            line = [ancestor for ancestor in ancestor_ids(path) if ancestor in kept]
            if line:
                owners[pk] = line
    return owners


def recount(*, unit: Unit | None = None, moved: Move = None) -> dict[Key, Bucket]:
    """What the day rows should hold, counted from the rows: for every kept unit, or those of a subtree."""
    owners = _owners(unit=unit, moved=moved)
    if not owners:
        return {}
    totals: dict[Key, Bucket] = defaultdict(empty_bucket)
    for (unit_id, day), bucket in count_rows(path=None if unit is None else unit.path, day=True).items():
        for owner in owners.get(unit_id, ()):
            bucket_add(totals[(owner, day)], bucket)
    return {key: bucket for key, bucket in totals.items() if not bucket_is_zero(bucket)}


Writer = Callable[[dict[int, list[int]]], int]


def rebuild(*, unit: Unit | None = None, moved: Move = None, write: Writer | None = None) -> int:
    """Recount the day rows from scratch: every one, or those of a subtree (the difference its total
    makes carried to the units above). Run by store.rebuild in its transaction. Returns rows written.

    `write` (store.rebuild on PostgreSQL: sql.rebuild_days) writes the rows from the day facts the
    database has just counted for `unit`'s subtree, given each unit's kept units (`_owners`); without
    it, or when the subtree to recount is wider than `unit`'s (its nearest kept unit is above it),
    Python counts them (`recount`).
    """
    if unit is not None:
        line, _upper = _kept_line(unit.pk)
        if not line:
            return 0  # nothing at or above it is kept, so nothing below it is
        if line[-1] != unit.pk:  # counted as part of the nearest kept unit above it
            unit = Unit.objects.get(pk=line[-1])
            line = line[: line.index(unit.pk) + 1]
            write = None  # the facts counted cover a smaller subtree
    if write is None:
        totals = recount(unit=unit, moved=moved)
    else:
        owners = _owners(unit=unit, moved=moved)
    if unit is None:
        UnitDay.objects.all().delete()
    else:
        old_top = {row.day: bucket_of(row) for row in UnitDay.objects.filter(unit=unit)}
        UnitDay.objects.filter(unit__path__startswith=unit.path).delete()
    if write is None:
        _insert(totals)
        written = len(totals)
    else:
        written = write(owners)
    if unit is not None:
        if write is None:
            new_top = {day: bucket for (unit_id, day), bucket in totals.items() if unit_id == unit.pk}
        else:
            new_top = {row.day: bucket_of(row) for row in UnitDay.objects.filter(unit=unit)}
        changes: dict[Key, Bucket] = {}
        for day in set(old_top) | set(new_top):
            delta = empty_bucket()
            bucket_add(delta, new_top.get(day, empty_bucket()))
            bucket_add(delta, old_top.get(day, empty_bucket()), sign=-1)
            for ancestor in line[:-1]:
                changes[(ancestor, day)] = delta
        _apply(changes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {UnitDay._meta.db_table}")
    return written


def _insert(totals: dict[Key, Bucket]) -> None:
    """New day rows: by COPY on PostgreSQL (hundreds of thousands at the size of a large company,
    where bulk_create takes minutes), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        rows = [UnitDay(unit_id=unit_id, day=day, **bucket) for (unit_id, day), bucket in sorted(totals.items())]
        UnitDay.objects.bulk_create(rows, batch_size=2_000)
        return
    qn = connection.ops.quote_name
    columns = ", ".join(qn(name) for name in ("unit_id", "day", *FIELDS))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {UnitDay._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for (unit_id, day), bucket in sorted(totals.items()):
            copy.write_row(
                (unit_id, day, *(json.dumps(bucket[name]) if name in MAPS else bucket[name] for name in FIELDS))
            )


def recount_months(months: list[datetime.date], parts: set[str]) -> None:
    """Recount every kept unit's day rows over some months for some parts (the calendar changed:
    store.refresh_response_limits)."""
    if not months:
        return
    tree = _whole_tree()
    _upper, kept = _kept_sets(tree)
    if not kept:
        return
    fields = tuple(name for part in sorted(parts) for name in PART_FIELDS[part])
    ranges = month_ranges(months)
    totals: dict[Key, Bucket] = defaultdict(empty_bucket)
    for (unit_id, day), bucket in count_rows(ranges=ranges, parts=parts, day=True).items():
        for owner in ancestor_ids(tree[unit_id][0]):
            if owner in kept:
                bucket_add(totals[(owner, day)], bucket, fields=fields)
    changes: dict[Key, Bucket] = {}
    for row in UnitDay.objects.filter(_day_q(ranges)).values("unit_id", "day", *fields):
        key = (row["unit_id"], row["day"])
        delta = empty_bucket()
        bucket_add(delta, totals.pop(key, empty_bucket()), fields=fields)
        held = empty_bucket()
        for name in fields:
            held[name] = row[name] if name in COUNTERS else {str(k): v for k, v in (row[name] or {}).items()}
        bucket_add(delta, held, sign=-1, fields=fields)
        changes[key] = delta
    changes.update(totals)
    _apply(changes)


def unit_added(unit: Unit) -> None:
    """A new unit: its grandparent may have just become upper (its first grandchild), which makes
    the grandparent's children kept; rebuild that small subtree's day rows."""
    ids = ancestor_ids(unit.path)
    if len(ids) < 3:
        return
    grandparent = Unit.objects.filter(pk=ids[-3]).first()
    if grandparent is None:
        return
    grandchildren = Unit.objects.filter(path__startswith=grandparent.path, depth=grandparent.depth + 2)
    if grandchildren.exclude(pk=unit.pk).exists():
        return  # upper already: the new unit has no rows, nothing changes
    rebuild(unit=grandparent)


def moved(old_path: str, new_path: str) -> None:
    """A unit moved: which units are kept may change above its old and new places; rebuild the
    day rows of the smallest subtree holding both (its total does not change)."""
    old, new = ancestor_ids(old_path)[:-1], ancestor_ids(new_path)[:-1]
    common = None
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        common = a
    if common is None:
        rebuild(moved=(old_path, new_path))
        return
    top = Unit.objects.filter(pk=common).first()
    if top is not None:
        rebuild(unit=top, moved=(old_path, new_path))


# --- what the dashboard reads ------------------------------------------------------------------


def edge_figures(*, unit: Unit, ranges: Ranges, children: list[int]) -> tuple[Bucket, dict[int, Bucket], list[int]]:
    """For an upper unit: its subtree's figures over the days of `ranges`, each child's counters,
    and the units of the subtree with a visit on one of those days. Three queries."""
    total = empty_bucket()
    for row in UnitDay.objects.filter(_day_q(ranges), unit=unit).values(*FIELDS):
        bucket_add(total, bucket_of(row))
    per_child: dict[int, Bucket] = {}
    if children:
        sums = (
            UnitDay.objects.filter(_day_q(ranges), unit_id__in=children)
            .values("unit_id")
            .annotate(**{name: Sum(name) for name in CHILD_COUNTERS})
            .order_by()
        )
        for row in sums:
            bucket = per_child[row["unit_id"]] = empty_bucket()
            for name in CHILD_COUNTERS:
                bucket[name] = row[name] or 0
    # One index probe (visit_unit_date) per unit of the subtree and range, not a scan of the days'
    # visits: one EXISTS per range, as an OR inside one EXISTS is a filter, not an index condition.
    any_visit = Q(pk__in=[])
    for first, after in ranges:
        any_visit |= Q(Exists(Visit.objects.filter(unit_id=OuterRef("pk"), date__gte=first, date__lt=after)))
    visited = list(
        Unit.objects.filter(path__startswith=unit.path).filter(any_visit).order_by().values_list("pk", flat=True)
    )
    return total, per_child, visited
