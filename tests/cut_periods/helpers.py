"""What the cut-period tests share: a reference count of a dashboard's figures made from the rows
over the period's exact days (no monthly or day rows), and the check that the day rows are in step."""

import datetime

from fieldwork import rollups
from fieldwork.dashboard import dashboard_figures, median_of
from fieldwork.models import Concern, Unit, Visit
from fieldwork.periods import Period
from fieldwork.rollups import days

PERIODS = [
    Period(datetime.date(2025, 12, 10), datetime.date(2026, 1, 25), "range"),  # cuts two months
    Period(datetime.date(2025, 11, 20), datetime.date(2026, 2, 3), "range"),  # cuts two, holds two
    Period(datetime.date(2026, 1, 5), datetime.date(2026, 1, 21), "range"),  # inside one month
    Period(datetime.date(2025, 12, 2), datetime.date(2026, 2, 28), "range"),  # cuts one at its start
    Period.quarter(2026, 1),  # whole months only
]


def assert_days_in_step() -> None:
    assert days.stored() == days.recount()


def _sum(path: str, ranges) -> dict:
    total = rollups.empty_bucket()
    for bucket in rollups.count_rows(path=path, ranges=ranges).values():
        rollups.bucket_add(total, bucket)
    return total


def _fresh(path: str, period: Period, today: datetime.date) -> int:
    """Concerns never taken up, still within their response limit today, raised in the period."""
    first = max(rollups.response_window_start(today), period.first)
    return sum(
        first <= rollups.local_date(raised_at) <= period.last
        for raised_at in Concern.objects.filter(
            unit__path__startswith=path, status__in=Concern.ACTIVE_STATUSES, taken_up_at__isnull=True
        ).values_list("raised_at", flat=True)
    )


def _rates(b: dict, fresh: int) -> dict:
    return {
        "response": (b["taken_up_in_time"], b["taken_up"] + b["not_taken_up"] - fresh),
        "resolution": (b["resolved_now"], b["concerns_raised"] - b["policy_limited"]),
        "satisfaction": (b["satisfied"], b["callbacks"]),
        "extensions": b["extensions_granted"],
    }


def reference(unit: Unit, period: Period, today: datetime.date) -> dict:
    """The figures of `unit` over `period` counted from the rows over its exact days."""
    ranges = [(period.first, period.last + datetime.timedelta(days=1))]
    rows = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", "parent_id", "path", "active"))
    # grassroots: active, with no active unit anywhere below (not only among the direct children)
    active_paths = [path for _pk, _parent, path, active in rows if active]
    leaves = [
        (pk, path)
        for pk, _parent, path, active in rows
        if active and not any(other != path and other.startswith(path) for other in active_paths)
    ]
    if not leaves or leaves == [(unit.pk, unit.path)]:
        leaves = [(unit.pk, unit.path)]

    def visited(path: str) -> bool:
        return Visit.objects.filter(unit__path__startswith=path, date__gte=ranges[0][0], date__lt=ranges[0][1]).exists()

    visited_leaves = {pk for pk, path in leaves if visited(path)}
    b = _sum(unit.path, ranges)
    children = {}
    for pk, parent, path, active in rows:
        if parent == unit.pk and active:
            mine = [leaf for leaf in leaves if leaf[1].startswith(path)]
            children[pk] = {
                "coverage": (sum(leaf[0] in visited_leaves for leaf in mine), len(mine)),
                **_rates(_sum(path, ranges), _fresh(path, period, today)),
            }
    return {
        "counters": {name: b[name] for name in rollups.COUNTERS},
        "median_days": median_of(b["days_to_resolve"]),
        "visits_by_principle": b["visits_by_principle"],
        "concerns_by_principle": b["concerns_by_principle"],
        "concerns_by_category": b["concerns_by_category"],
        "coverage": (len(visited_leaves), len(leaves)),
        "unvisited": sorted(pk for pk, _path in leaves if pk not in visited_leaves),
        **_rates(b, _fresh(unit.path, period, today)),
        "children": children,
    }


def shown(unit: Unit, period: Period, today: datetime.date) -> dict:
    """The same figures as the dashboard shows them."""
    d = dashboard_figures(unit=unit, period=period, today=today, unvisited_limit=10_000)
    counters = {
        "visits": d.visits,
        "people_reached": d.people_reached,
        "concerns_raised": d.concerns_raised,
        "concerns_withdrawn": d.withdrawn,
        "policy_limited": d.policy_limited,
        "resolved_now": d.resolution.numerator,
        "policy_resolved": d.policy.numerator,
        "taken_up_in_time": d.response.numerator,
        "resolved": d.resolved,
        "resolved_on_time": d.on_time.numerator,
        "callbacks": d.callbacks,
        "satisfied": d.satisfaction.numerator,
        "dissatisfied": d.reopened,
        "callbacks_due": d.callbacks_in_time.denominator,
        "callbacks_in_time": d.callbacks_in_time.numerator,
        "unreachable": d.unreachable,
        "no_answer": d.no_answer,
        "supervised": d.supervised,
        "extensions_granted": d.extensions_granted,
    }
    return {
        "counters": counters,
        "median_days": d.median_days,
        "visits_by_principle": {str(line.id): line.visits for line in d.principles if line.visits},
        "concerns_by_principle": {str(line.id): line.concerns for line in d.principles if line.concerns},
        "concerns_by_category": {str(line.id): line.concerns for line in d.categories if line.concerns},
        "coverage": (d.coverage.numerator, d.coverage.denominator),
        "unvisited": sorted(line.id for line in d.unvisited),
        "response": (d.response.numerator, d.response.denominator),
        "resolution": (d.resolution.numerator, d.resolution.denominator),
        "satisfaction": (d.satisfaction.numerator, d.satisfaction.denominator),
        "extensions": d.extensions_granted,
        "children": {
            row.unit.id: {
                "coverage": (row.coverage.numerator, row.coverage.denominator),
                "response": (row.response.numerator, row.response.denominator),
                "resolution": (row.resolution.numerator, row.resolution.denominator),
                "satisfaction": (row.satisfaction.numerator, row.satisfaction.denominator),
                "extensions": row.extensions_granted,
            }
            for row in d.children
        },
    }


def assert_figures_equal_the_rows(units, today: datetime.date, periods=PERIODS) -> None:
    for unit in units:
        unit.refresh_from_db()
        for period in periods:
            expected = reference(unit, period, today)
            got = shown(unit, period, today)
            expected["counters"] = {name: expected["counters"][name] for name in got["counters"]}
            assert got == expected, (unit.name, period)
