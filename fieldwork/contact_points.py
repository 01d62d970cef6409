"""Contact points (联系点): when one counts as visited, the one home of that rule, and the reads of it.

The rule (DESIGN.md, issue 21): a contact point of cadre C at unit U is *visited* by a visit at U or
at any unit below it that lists C among its cadres, dated within the contact point's term. Its
`last_visit_date` is the latest such visit; its `due_date` is that date (or, with no visit yet, the
term's start) plus its interval. It is *unvisited* ("not visited within the interval") on a day
after its due date, while its term holds.

Both dates are stored on the contact point, so that 我的工作, the unit's list and the dashboard
figure read a few indexed rows and never scan visits. `refresh` recounts them from the visits; the
visit services call `visit_saved` in their own transaction, and `refresh_all` (manage.py
refresh_contact_points, rollups.rebuild, seed_demo) recounts every one after bulk loads.

No list here ranks cadres by how many visits they made (issue 21, item 5: 杜绝盲目攀比政绩): they are
ordered by how long a contact point has gone unvisited, most overdue first.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import ContactPoint, Unit, Visit
from .paging import BY_DUE_DATE, KeysetPage, count_capped, keyset_page

# The dashboard figure, as DESIGN.md and docs/dashboard.md define it (the docs repeat these words).
FIGURE_NAME = "contact points unvisited"
DEFINITION = _("contact points (联系点) of S whose cadre has not visited them within the set interval, today")

MY_WORK_LIMIT = 50  # a cadre answers for a handful; more than this is a list to page through


def due_date_of(*, start: datetime.date, last_visit: datetime.date | None, interval_days: int) -> datetime.date:
    """The last day on which the contact point still counts as visited in time."""
    return (last_visit or start) + datetime.timedelta(days=interval_days)


def _date(value) -> datetime.date | None:
    """A date as raw SQL returns it (SQLite gives ISO text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _recount_sql(points: QuerySet) -> tuple[str, list]:
    """One query: each contact point of `points` with its stored dates and the date of its latest
    visit by the rule above (NULL for none). Set-based (joins and one GROUP BY), so that recounting
    every contact point reads the visits once instead of once per contact point."""
    chosen, params = points.order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    cp, unit = quote(ContactPoint._meta.db_table), quote(Unit._meta.db_table)
    visit, listed = quote(Visit._meta.db_table), quote(Visit.cadres.through._meta.db_table)
    sql = f"""
        SELECT cp.id, cp.start, cp.interval_days, cp.last_visit_date, cp.due_date, latest.visited
        FROM {cp} cp
        LEFT JOIN (
            SELECT point.id AS id, MAX(v.date) AS visited
            FROM {cp} point
            JOIN {unit} at_unit ON at_unit.id = point.unit_id
            JOIN {listed} vc ON vc.user_id = point.cadre_id
            JOIN {visit} v ON v.id = vc.visit_id
            JOIN {unit} vu ON vu.id = v.unit_id
            WHERE point.id IN ({chosen})
              AND v.date >= point.start
              AND (point.{quote("end")} IS NULL OR v.date <= point.{quote("end")})
              AND vu.path LIKE at_unit.path || '%%'
            GROUP BY point.id
        ) latest ON latest.id = cp.id
        WHERE cp.id IN ({chosen})
    """
    return sql, [*params, *params]


def refresh(points: QuerySet) -> int:
    """Recount `last_visit_date` and `due_date` of these contact points from the visits; returns how
    many changed. One query, and a second to write the changed ones."""
    sql, params = _recount_sql(points)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    changed = []
    for pk, start, interval, last, due, latest in rows:
        latest = _date(latest)
        new_due = due_date_of(start=_date(start), last_visit=latest, interval_days=interval)
        if (_date(last), _date(due)) != (latest, new_due):
            changed.append(ContactPoint(pk=pk, last_visit_date=latest, due_date=new_due))
    if changed:
        ContactPoint.objects.bulk_update(changed, ["last_visit_date", "due_date"], batch_size=1000)
    return len(changed)


def refresh_all() -> int:
    """Recount every contact point (after a bulk load or an import)."""
    return refresh(ContactPoint.objects.all())


def unit_moved(old_path: str, new_path: str) -> int:
    """A unit moved in the tree: the contact points above it, where it was and where it is, gain or
    lose its visits; those at it and below it keep theirs (the subtree moved whole)."""
    above = {int(part) for path in (old_path, new_path) for part in path.strip("/").split("/")[:-1]}
    return refresh(ContactPoint.objects.filter(unit_id__in=above))


@dataclass(frozen=True)
class VisitState:
    """Where a visit was and whom it listed, before an edit: the contact points it visited then."""

    unit_paths: tuple[str, ...] = ()
    cadre_ids: tuple[int, ...] = ()


def visit_before(visit: Visit) -> VisitState:
    """The visit as stored (one query), read before an edit changes its unit or cadres."""
    rows = list(Visit.objects.filter(pk=visit.pk).values_list("unit__path", "cadres"))
    return VisitState(
        unit_paths=tuple({path for path, _cadre in rows}), cadre_ids=tuple({c for _p, c in rows if c is not None})
    )


def visit_saved(visit: Visit, *, before: VisitState | None = None) -> None:
    """Called by the visit services inside their transaction once a visit's unit and cadres are set:
    recounts the contact points it visits now or visited `before` (those of its cadres at its unit or
    at a unit above it)."""
    before = before or VisitState()
    paths = {visit.unit.path, *before.unit_paths}
    listed = Q(cadre__in=Visit.cadres.through.objects.filter(visit_id=visit.pk).values("user_id"))
    # one query when none of its cadres answers for a unit there (the usual case), two or three else
    refresh(ContactPoint.objects.filter(listed | Q(cadre_id__in=before.cadre_ids), unit_id__in=_units_on(paths)))


def _units_on(paths: Iterable[str]) -> set[int]:
    """The units named by these materialised paths: each unit and every unit above it."""
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


# --- reads -------------------------------------------------------------------------------------------


def for_cadre(*, user, today: datetime.date) -> list[ContactPoint]:
    """我的工作: the user's current contact points, those gone longest past their due date first (one
    query, the index contact_point_cadre_due)."""
    points = ContactPoint.objects.current(today).filter(cadre=user).select_related("unit").order_by("due_date", "pk")
    return list(points[:MY_WORK_LIMIT])


def in_subtree(*, unit: Unit, today: datetime.date, unvisited: bool) -> QuerySet:
    """Current contact points of the unit's subtree; with `unvisited`, those not visited within the interval."""
    points = ContactPoint.objects.current(today).filter(unit__path__startswith=unit.path)
    return points.filter(due_date__lt=today) if unvisited else points


def unvisited_count(*, unit: Unit, today: datetime.date) -> int:
    """The figure "contact points unvisited" of the unit's subtree today: one query."""
    return in_subtree(unit=unit, today=today, unvisited=True).count()


@dataclass(frozen=True)
class Listing:
    page: KeysetPage
    count: int
    capped: bool


def listing(*, unit: Unit, today: datetime.date, unvisited: bool, after: str | None, size: int) -> Listing:
    """The list behind the figure: most overdue first (by due date, never by anyone's visit count),
    a keyset page of it and its capped count; two queries whatever the data."""
    points = in_subtree(unit=unit, today=today, unvisited=unvisited)
    count, capped = count_capped(points)
    page = keyset_page(
        points.select_related("unit", "cadre", "assigned_by"), keyset=BY_DUE_DATE, after=after, size=size
    )
    return Listing(page=page, count=count, capped=capped)


def dashboard_figure(*, unit: Unit, today: datetime.date) -> dict:
    """The dashboard's figure "contact points unvisited" of the unit's subtree, with the list behind it."""
    return {
        "count": unvisited_count(unit=unit, today=today),
        "url": reverse("fieldwork:unit-contact-points", args=[unit.pk]) + "?overdue=1",
        "definition": DEFINITION,
    }


def my_work_rows(*, user, today: datetime.date) -> list[dict]:
    """我的工作's rows: each contact point with the days since its last visit, beyond the interval first."""
    return [
        {"point": point, "days": point.days_since_visit(today), "overdue": point.is_overdue(today)}
        for point in for_cadre(user=user, today=today)
    ]
