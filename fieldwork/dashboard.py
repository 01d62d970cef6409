"""The dashboard of a unit's subtree over a period: the figures of DESIGN.md, read from the rollups.

Every figure follows "Dashboard figures: definitions" in DESIGN.md to the word (supervision and
extensions, added by issue 6, are defined in docs/dashboard.md); DEFINITIONS below
holds those words, shown on the page as help text and repeated in docs/dashboard.md (a test
checks that both say the same). Whole months of the period come from the monthly rollups
(rollups.py); the days of a month the period only cuts into are read from the day rows of a
unit with grandchildren (rollups.days), or below it counted live, with the same counting rules;
"open now", "overdue now", "under supervision now", the concerns still within their response
limit, "awaiting callback now" and "callbacks overdue now" are read from the rollup of the concerns
open or awaiting a callback today (UnitNow).

The number of queries does not depend on the amount of data: about ten for a period of whole
months; when the period cuts a month, three more at a unit with grandchildren (its day rows,
rollups.days), eight more below (counted live: a small subtree).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import FilteredRelation, Q, Sum
from django.utils.translation import gettext_lazy as _

from . import rollups
from .models import Category, Principle, Unit, UnitMonth, UnitNow
from .periods import Period
from .rollups import Bucket, bucket_add, empty_bucket, response_deadline
from .scope import grassroots_ids

__all__ = ["DEFINITIONS", "Rate", "dashboard_figures", "response_deadline"]

# --- definitions: DESIGN.md's words (docs/dashboard.md says the same) ------------------------------

PREAMBLE = _(
    "For a unit U, its subtree S (U and everything under it) and a period P (whole days, in the "
    "configured time zone). “Resolved at” is the time of a concern's latest move into resolved; a "
    "concern reopened and not resolved again has none. Withdrawn concerns count nowhere but in "
    "their own line."
)
TOO_FEW_RULE = _("A rate whose denominator is below the minimum (default 5) reads “too few to compare”.")
TOO_FEW = _("too few to compare")

DEFINITIONS = {
    "visits": _(
        "visits with unit in S and date in P; of those, the back-dated ones (dated more than the set days "
        "before they were logged)"
    ),
    "people_reached": _("sum of people reached over those visits"),
    "coverage": _(
        "grassroots units (active units of S with no active unit anywhere below them; U itself if it has "
        "none) with at least one visit in P at them or below them, over all grassroots units of S"
    ),
    "concerns_raised": _("concerns with unit in S raised in P"),
    "response_rate": _(
        "of the concerns raised in P that were taken up (first moved to in_progress) or whose "
        "response limit has passed, the share taken up within the limit"
    ),
    "resolution_rate": _(
        "of the concerns raised in P (withdrawn and policy-limited apart), the share now resolved "
        "or closed; policy-limited concerns get their own count and rate"
    ),
    "on_time_rate": _("of the concerns resolved in P, the share resolved on or before their due date (as extended)"),
    "median_days": _("median of (resolved at − raised at) in days over the concerns resolved in P"),
    "satisfaction_rate": _("of the callbacks recorded in P, the share satisfied or basically satisfied"),
    "reopened": _("dissatisfied callbacks recorded in P"),
    "open_now": _("concerns of S open or in progress today; of those, the ones past their due date (not bound to P)"),
    # Translators: 待回访, 回访逾期
    "callbacks_now": _(
        "concerns of S resolved and waiting for a callback today; of those, the ones past their callback "
        "deadline (N working days after resolution)"
    ),
    # Translators: 按时回访率
    "callbacks_in_time": _(
        "of the callbacks recorded in P that answer a resolution, the share recorded on or before the callback deadline"
    ),
    # Translators: 无法联系, 群众未答复
    "unreachable": _(
        "concerns of S closed in P because the person could not be reached after the set attempts, or (public "
        "channel, no contact) never answered; in the resolution and on-time rates they count as resolved (the "
        "work was done); never in the satisfaction rate or the within-limit share"
    ),
    # Translators: 督办
    "supervised": _(
        "concerns of S open or in progress today and under the supervision of their unit's leaders (not "
        "bound to P); and the concerns of S that came under supervision in P"
    ),
    # Translators: 延期
    "extensions": _("extension requests for concerns of S approved in P; a concern extended twice counts twice"),
    "by_tag": _("visits and concerns raised in P, counted per tag (an item with two tags counts in both)"),
    "trend": _("per month, for the 12 months ending with P: visits, concerns raised, concerns resolved"),
    "child_table": _("the same coverage, rates, open and overdue for each direct child of U over its own subtree"),
}

# What each card counts, in one line of plain words a leader reads without the definitions above (no
# U, S or P): the same rules, and where a card's base differs from its neighbours' it says why.
COUNTS = {
    "coverage": _(
        "Grassroots units visited at least once in this period, of all grassroots units here (a grassroots "
        "unit has no active unit under it)"
    ),
    "resolution_rate": _(
        "Concerns raised in this period that are now resolved or closed; not counting withdrawn and "
        "policy-limited concerns"
    ),
    "satisfaction_rate": _("Callbacks made in this period that found the person satisfied or basically satisfied"),
    "response_rate": _(
        "Concerns raised in this period taken up within the response limit; not counting withdrawn concerns "
        "nor those still within the limit"
    ),
    "on_time_rate": _("Concerns resolved in this period, whenever raised, that were resolved by their due date"),
    "median_days": _("Days from raising to resolving, over the concerns resolved in this period"),
    "open_now": _("Concerns open or in progress today, whenever raised"),
    "callbacks_now": _("Resolved concerns waiting for a callback today, whenever resolved"),
    "callbacks_in_time": _(
        "Callbacks made in this period after a resolution, made by the callback deadline; not counting "
        "callbacks without a deadline"
    ),
    "unreachable": _("Concerns closed in this period because the person could not be reached"),
    "no_answer": _("Concerns closed in this period because the person never answered"),
    "supervised": _("Open concerns under the supervision of their unit's leaders today, whenever raised"),
    "extensions": _("Extension requests approved in this period; a concern extended twice counts twice"),
    "reopened": _("Callbacks made in this period that found the person dissatisfied"),
    "concerns_raised": _("Concerns raised in this period, here and in every unit under this one"),
    "visits": _("Visits dated in this period, here and in every unit under this one"),
    "people_reached": _("People reached on those visits, added up"),
}

# The headings the page and docs/dashboard.md give the definitions (DESIGN.md's figure names).
FIGURE_NAMES = {
    "visits": _("visits"),
    "people_reached": _("people reached"),
    "coverage": _("coverage"),
    "concerns_raised": _("concerns raised"),
    "response_rate": _("response rate"),
    "resolution_rate": _("resolution rate"),
    "on_time_rate": _("on-time rate"),
    "median_days": _("median days to resolve"),
    "satisfaction_rate": _("satisfaction rate"),
    "reopened": _("reopened"),
    "open_now": _("open now, overdue now"),
    "callbacks_now": _("awaiting callback now, callbacks overdue now"),
    "callbacks_in_time": _("callbacks within the limit"),
    "unreachable": _("unreachable, no answer"),
    "supervised": _("under supervision now, came under supervision"),
    "extensions": _("extensions granted"),
    "by_tag": _("by principle, by category"),
    "trend": _("trend"),
    "child_table": _("child table"),
}


# --- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A share of cases; below the minimum number of cases it reads "too few to compare"."""

    numerator: int
    denominator: int

    @property
    def too_few(self) -> bool:
        return self.denominator < settings.FIELDWORK["MIN_CASES"]

    @property
    def value(self) -> float | None:
        """The share between 0 and 1, or None when there are too few cases to compare."""
        if self.too_few or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> str:
        value = self.value
        return str(TOO_FEW) if value is None else f"{value * 100:.0f}%"


@dataclass
class UnitLine:
    """A unit named on the dashboard (a child or a grassroots unit without a visit)."""

    id: int
    name: str
    path: str


@dataclass
class ChildRow:
    unit: UnitLine
    coverage: Rate
    response: Rate
    resolution: Rate
    satisfaction: Rate
    open: int
    overdue: int
    supervised_now: int = 0  # open and under supervision today
    extensions_granted: int = 0  # in the period


@dataclass
class TrendMonth:
    month: datetime.date
    visits: int
    raised: int
    resolved: int


@dataclass
class TagLine:
    id: int
    name: str
    visits: int
    concerns: int


@dataclass
class Dashboard:
    unit: Unit
    period: Period
    today: datetime.date
    visits: int
    people_reached: int
    visits_backdated: int  # of the visits, those logged more than the set days after their date
    coverage: Rate
    unvisited: list[UnitLine]
    concerns_raised: int
    withdrawn: int
    response: Rate
    resolution: Rate
    policy_limited: int
    policy: Rate
    resolved: int
    on_time: Rate
    median_days: float | None
    callbacks: int
    satisfaction: Rate
    reopened: int
    open_now: int
    overdue_now: int
    awaiting_callback_now: int  # resolved and waiting for a callback today (not bound to P)
    callbacks_overdue_now: int  # of those, past their callback deadline
    callbacks_in_time: Rate  # callbacks in P answering a resolution, recorded on or before the deadline
    unreachable: int  # closed in P: the person could not be reached
    no_answer: int  # closed in P: the person (public channel, no contact) never answered
    supervised_now: int  # open or in progress and under supervision today (not bound to P)
    supervised: int  # came under supervision in P
    extensions_granted: int
    principles: list[TagLine]
    categories: list[TagLine]
    trend: list[TrendMonth]
    children: list[ChildRow]
    unvisited_count: int


def median_of(histogram: dict[str, int]) -> float | None:
    """The median of a {value: count} histogram (the mean of the two middle values if even)."""
    pairs = sorted((int(value), count) for value, count in histogram.items() if count > 0)
    total = sum(count for _value, count in pairs)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value, count in pairs:
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(value)
        seen += count
    return (found[0] + found[1]) / 2


@dataclass
class _Counts:
    """Figures being summed for one subtree: rollup months, live edges and the open concerns."""

    bucket: Bucket = field(default_factory=empty_bucket)
    leaves: int = 0
    visited: int = 0
    open: int = 0
    overdue: int = 0
    supervised: int = 0  # open and under supervision today
    fresh: int = 0  # not taken up and still within the response limit today
    awaiting_callback: int = 0  # resolved and in the callback queue today
    callbacks_overdue: int = 0  # of those, past their callback deadline

    def response(self) -> Rate:
        b = self.bucket
        return Rate(b["taken_up_in_time"], b["taken_up"] + b["not_taken_up"] - self.fresh)

    def resolution(self) -> Rate:
        b = self.bucket
        return Rate(b["resolved_now"], b["concerns_raised"] - b["policy_limited"])

    def satisfaction(self) -> Rate:
        return Rate(self.bucket["satisfied"], self.bucket["callbacks"])

    def coverage(self) -> Rate:
        return Rate(self.visited, self.leaves)


ROLLUP_COUNTERS = rollups.COUNTERS


def dashboard_figures(*, unit: Unit, period: Period, today: datetime.date, unvisited_limit: int = 50) -> Dashboard:
    """Every figure of the dashboard of `unit` over `period` (DEFINITIONS), as of `today`."""
    full_months = period.full_months
    trend_months = period.trend_months
    # Every unit of S and, for coverage, the months its subtree had a visit in each year of P's
    # whole months (UnitYear: one narrow row per unit and year, however many visits there were).
    wanted: dict[int, int] = defaultdict(int)
    for month in full_months:
        wanted[month.year] |= 1 << (month.month - 1)
    years = sorted(wanted)
    joins = {
        f"visited_{year}": FilteredRelation("visited_years", condition=Q(visited_years__year=year)) for year in years
    }
    rows = (
        Unit.objects.filter(path__startswith=unit.path)
        .annotate(**joins)
        .order_by()
        .values_list(
            "id", "parent_id", "path", "active", "name", *[f"visited_{year}__visited_months" for year in years]
        )
    )
    # One pass over the units (thousands at the root): the direct child of U that each unit lies
    # under (read from its path), the active children, the visited ones; then the grassroots units
    # (scope.grassroots_ids: active, with no active unit anywhere below).
    units = list(rows)
    prefix = len(unit.path)
    child_of: dict[int, int] = {}  # any unit below U → the direct child of U it lies under
    children: list[UnitLine] = []
    visited: set[int] = set()
    masks = [(5 + index, wanted[year]) for index, year in enumerate(years)]
    unit_pk = unit.pk  # read once: a model's pk is a property, and this loop runs per unit
    upper = False  # U has grandchildren: the edge days are read from its day rows
    for row in units:
        unit_id, parent_id, path, active = row[0], row[1], row[2], row[3]
        if len(path) > prefix:
            child_of[unit_id] = int(path[prefix : path.index("/", prefix)])
            upper = upper or parent_id != unit_pk
        if active and parent_id == unit_pk:
            children.append(UnitLine(unit_id, row[4], path))
        for column, wanted_months in masks:
            if row[column] and row[column] & wanted_months:
                visited.add(unit_id)
                break
    children.sort(key=lambda line: (line.name, line.id))
    # Units under an inactive child count for U, in no child's row.
    child_ids = {line.id for line in children}
    child_of = {unit_id: child for unit_id, child in child_of.items() if child in child_ids}
    grassroots = grassroots_ids((row[0], row[2], row[3]) for row in units)
    if grassroots and grassroots != {unit.pk}:
        leaves = sorted((row for row in units if row[0] in grassroots), key=lambda row: row[2])
    else:  # no active unit below U: U itself (active or not) is its one grassroots unit
        leaves = [(unit.pk, unit.parent_id, unit.path, unit.active, unit.name)]

    total = _Counts()
    per_child = {line.id: _Counts() for line in children}

    # U's own rollup rows: the whole months of P and the trend's 12 months.
    rows = {
        row["month"]: row
        for row in UnitMonth.objects.filter(unit=unit, month__in=sorted(set(full_months) | set(trend_months))).values(
            "month", *rollups.FIELDS
        )
    }
    for month in full_months:
        if month in rows:
            bucket_add(total.bucket, rollups.bucket_of(rows[month]))
    # The children's rollups over the whole months, summed by the database.
    if per_child and full_months:
        sums = (
            UnitMonth.objects.filter(unit_id__in=sorted(per_child), month__in=full_months)
            .values("unit_id")
            .annotate(**{name: Sum(name) for name in ROLLUP_COUNTERS})
            .order_by()
        )
        for row in sums:
            for name in ROLLUP_COUNTERS:
                per_child[row["unit_id"]].bucket[name] += row[name] or 0

    # The days of months P only cuts into: from the day rows of an upper unit and its children,
    # else (a small subtree) counted live; coverage takes their visits too.
    edges = period.edges
    if edges and upper:
        path_of = {row[0]: row[2] for row in units}
        edge_total, edge_children, edge_visited = rollups.days.edge_figures(
            unit=unit, ranges=edges, children=sorted(per_child)
        )
        bucket_add(total.bucket, edge_total)
        for child_id, bucket in edge_children.items():
            bucket_add(per_child[child_id].bucket, bucket, fields=ROLLUP_COUNTERS)
        for unit_id in edge_visited:
            visited.update(rollups.ancestor_ids(path_of[unit_id]))
    elif edges:
        path_of = {row[0]: row[2] for row in units}
        live = rollups.count_rows(path=unit.path, ranges=edges)
        for (unit_id, _month), bucket in live.items():
            bucket_add(total.bucket, bucket)
            if unit_id in child_of:
                bucket_add(per_child[child_of[unit_id]].bucket, bucket)
            if bucket["visits"]:
                visited.update(rollups.ancestor_ids(path_of[unit_id]))
    unvisited = [UnitLine(row[0], row[4], row[2]) for row in leaves if row[0] not in visited]
    total.leaves, total.visited = len(leaves), len(leaves) - len(unvisited)
    for row in leaves:
        owner = child_of.get(row[0])
        if owner is not None:
            per_child[owner].leaves += 1
            per_child[owner].visited += row[0] in visited

    # Now: the concerns open today (UnitNow), and those still within their response limit.
    today_key = today.isoformat()
    fresh_from = max(rollups.response_window_start(today), period.first).isoformat()
    fresh_to = period.last.isoformat()
    for row in UnitNow.objects.filter(unit_id__in=[unit.pk, *sorted(per_child)]):
        counts = total if row.unit_id == unit.pk else per_child[row.unit_id]
        counts.open = sum(row.open_by_due.values())
        counts.overdue = sum(count for due, count in row.open_by_due.items() if due < today_key)
        counts.supervised = sum(row.supervised_by_due.values())
        counts.fresh += sum(
            count for raised, count in row.waiting_by_raised.items() if fresh_from <= raised <= fresh_to
        )
        counts.awaiting_callback = sum(count for day, count in row.callbacks_by_from.items() if day <= today_key)
        counts.callbacks_overdue = sum(count for due, count in row.callbacks_by_due.items() if due < today_key)

    b = total.bucket
    principles = _tag_lines(Principle.objects.all(), b["visits_by_principle"], b["concerns_by_principle"])
    categories = _tag_lines(Category.objects.all(), {}, b["concerns_by_category"])
    trend = [
        TrendMonth(
            month=month,
            visits=rows[month]["visits"] if month in rows else 0,
            raised=rows[month]["concerns_raised"] if month in rows else 0,
            resolved=rows[month]["resolved"] if month in rows else 0,
        )
        for month in trend_months
    ]
    return Dashboard(
        unit=unit,
        period=period,
        today=today,
        visits=b["visits"],
        people_reached=b["people_reached"],
        visits_backdated=b["visits_backdated"],
        coverage=total.coverage(),
        unvisited=unvisited[:unvisited_limit],
        concerns_raised=b["concerns_raised"],
        withdrawn=b["concerns_withdrawn"],
        response=total.response(),
        resolution=total.resolution(),
        policy_limited=b["policy_limited"],
        policy=Rate(b["policy_resolved"], b["policy_limited"]),
        resolved=b["resolved"],
        on_time=Rate(b["resolved_on_time"], b["resolved"]),
        median_days=median_of(b["days_to_resolve"]),
        callbacks=b["callbacks"],
        satisfaction=total.satisfaction(),
        reopened=b["dissatisfied"],
        open_now=total.open,
        overdue_now=total.overdue,
        awaiting_callback_now=total.awaiting_callback,
        callbacks_overdue_now=total.callbacks_overdue,
        callbacks_in_time=Rate(b["callbacks_in_time"], b["callbacks_due"]),
        unreachable=b["unreachable"],
        no_answer=b["no_answer"],
        supervised_now=total.supervised,
        supervised=b["supervised"],
        extensions_granted=b["extensions_granted"],
        principles=principles,
        categories=categories,
        trend=trend,
        children=[
            ChildRow(
                unit=line,
                coverage=per_child[line.id].coverage(),
                response=per_child[line.id].response(),
                resolution=per_child[line.id].resolution(),
                satisfaction=per_child[line.id].satisfaction(),
                open=per_child[line.id].open,
                overdue=per_child[line.id].overdue,
                supervised_now=per_child[line.id].supervised,
                extensions_granted=per_child[line.id].bucket["extensions_granted"],
            )
            for line in children
        ],
        unvisited_count=len(unvisited),
    )


def _tag_lines(tags, visits: dict[str, int], concerns: dict[str, int]) -> list[TagLine]:
    """Every active tag, and any inactive one that was counted, in the admin's order."""
    lines = []
    for tag in tags:
        key = str(tag.pk)
        if tag.active or visits.get(key) or concerns.get(key):
            lines.append(TagLine(tag.pk, tag.name, visits.get(key, 0), concerns.get(key, 0)))
    return lines
