"""Units: the unit tree with each unit's open and overdue concerns, and a unit's dashboard."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import contact_points, dashboard, periods, rollups, scope
from ..inputs import object_id, search_text
from ..models import Concern, Unit, UnitNow
from .core import LANDING_SESSION_KEY, led_units

# --- the unit tree --------------------------------------------------------------------------------

SEARCH_RESULTS = 50


def _top_units(user):
    """The units a user's scope starts from: the roots for a superuser, else their memberships' tops."""
    if user.is_superuser:
        return Unit.objects.filter(parent__isnull=True)
    top: list[str] = []
    for path in sorted({path for path, _role in scope.memberships_of(user)}, key=len):
        if not any(path.startswith(other) for other in top):
            top.append(path)
    return Unit.objects.filter(path__in=top)


def _with_children_flag(units, *, by_name: bool = True):
    """Each unit with whether units lie below it; siblings by name (a search: in tree order)."""
    units = units.annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk"))))
    return units.order_by("name", "pk") if by_name else units.order_by("path")


def _open_counts(units: list[Unit], today: datetime.date) -> dict[int, tuple[int, int, int]]:
    """Open, overdue and supervised (督办) concerns of each unit's subtree: one row each from the
    rollups (UnitNow)."""
    today_key = today.isoformat()
    return {
        row.unit_id: (
            sum(row.open_by_due.values()),
            sum(count for due, count in row.open_by_due.items() if due < today_key),
            sum(row.supervised_by_due.values()),
        )
        for row in UnitNow.objects.filter(unit_id__in=[unit.pk for unit in units])
    }


def _nodes(units: list[Unit], counts, children: dict[int, list] | None = None) -> list[dict]:
    return [
        {
            "unit": unit,
            "open": counts.get(unit.pk, (0, 0, 0))[0],
            "overdue": counts.get(unit.pk, (0, 0, 0))[1],
            "supervised": counts.get(unit.pk, (0, 0, 0))[2],
            "has_children": unit.has_children,
            "children": (children or {}).get(unit.pk),
        }
        for unit in units
    ]


@require_safe
@login_required
def unit_list(request):
    """The unit tree in the user's scope: the top units and the level below them; deeper levels on
    request (an htmx fragment per subtree, or `?parent=<id>` without JavaScript), or a search."""
    today = timezone.localdate()
    visible = Unit.objects.visible_to(request.user)
    query = search_text(request.GET.get("q"), max_length=50)
    parent_id = object_id(request.GET.get("parent"))
    parent, too_many = None, False
    if parent_id:
        parent = get_object_or_404(visible, pk=parent_id)
        children = list(_with_children_flag(Unit.objects.filter(parent=parent)))
        counts = _open_counts(children, today)
        nodes = _nodes(children, counts)
        if request.htmx:
            return render(request, "fieldwork/dashboards/_unit_nodes.html", {"nodes": nodes})
        tops = [parent]
        parent.has_children = bool(children)
        counts.update(_open_counts(tops, today))
        nodes = _nodes(tops, counts, {parent.pk: nodes})
    elif query:
        found = list(
            _with_children_flag(visible.filter(Q(name__icontains=query) | Q(code__icontains=query)), by_name=False)[
                : SEARCH_RESULTS + 1
            ]
        )
        too_many = len(found) > SEARCH_RESULTS
        nodes = _nodes(found[:SEARCH_RESULTS], _open_counts(found[:SEARCH_RESULTS], today))
    else:
        tops = list(_with_children_flag(_top_units(request.user)))
        children_of: dict[int, list] = {unit.pk: [] for unit in tops}
        below = list(_with_children_flag(Unit.objects.filter(parent__in=[unit.pk for unit in tops])))
        for unit in below:
            children_of[unit.parent_id].append(unit)
        counts = _open_counts(tops + below, today)
        nodes = _nodes(tops, counts, {pk: _nodes(units, counts) for pk, units in children_of.items()})
    return render(
        request,
        "fieldwork/dashboards/unit_list.html",
        {
            "nodes": nodes,
            "query": query,
            "parent": parent,
            "too_many": too_many,
        },
    )


# --- the dashboard --------------------------------------------------------------------------------

# The child table's columns: the value each sorts by (None: too few to compare, always last).
SORTS = {
    "name": None,
    "coverage": lambda row: row.coverage.value,
    "response": lambda row: row.response.value,
    "resolution": lambda row: row.resolution.value,
    "satisfaction": lambda row: row.satisfaction.value,
    "open": lambda row: row.open,
    "overdue": lambda row: row.overdue,
    "supervised": lambda row: row.supervised_now,
    "extended": lambda row: row.extensions_granted,
}


def _sorted_children(rows: list, sort: str, descending: bool) -> list:
    """By name, or by a clicked column (rates with too few cases last either way); never a rank."""
    by_name = sorted(rows, key=lambda row: (row.unit.name, row.unit.id), reverse=sort == "name" and descending)
    if sort == "name":
        return by_name
    value = SORTS[sort]
    sign = -1 if descending else 1
    return sorted(by_name, key=lambda row: (1, 0) if value(row) is None else (0, sign * value(row)))


DONE = list(Concern.DONE_STATUSES)
ACTIVE = list(Concern.ACTIVE_STATUSES)
NOT_WITHDRAWN = ACTIVE + DONE


class Links:
    """The list behind each figure: the visit list and the concern list with matching filters, the
    overdue page for the overdue figures and the supervised list for those under supervision now.

    The concern list's parameters: unit (a subtree), status (repeatable), category, principle,
    priority, overdue=yes, source, raised_from/raised_to; and for the figures counted by another
    date, resolved_from/resolved_to, callback_from/callback_to, satisfaction, callback_limit,
    closed_from/closed_to, solvability, supervised_from/supervised_to and extended_from/extended_to;
    the callback queue (/callbacks/) takes unit and overdue=1.

    The child table asks for seven links of each of its (up to hundreds of) rows: links of one page
    share `known`, which keeps each list's path and each encoded query after the unit, so that a
    link is one string format (the same string `urlencode` makes of the whole query).
    """

    def __init__(self, unit_id: int, first: datetime.date, last: datetime.date, *, known: dict | None = None) -> None:
        self.unit_id, self.first, self.last = unit_id, first, last
        self.known: dict = {} if known is None else known

    def of_unit(self, unit_id: int) -> Links:
        """The same links for another unit over the same period."""
        return Links(unit_id, self.first, self.last, known=self.known)

    def _url(self, name: str, params: list[tuple[str, object]]) -> str:
        # params start with ("unit", an int id): an int needs no quoting, the rest is encoded once.
        key = (name, tuple(params[1:]))
        if key not in self.known:
            if name not in self.known:
                self.known[name] = reverse(name)
            rest = urlencode([(param, str(value)) for param, value in params[1:]])
            self.known[key] = f"{self.known[name]}?unit={{}}" + (f"&{rest}" if rest else "")
        return self.known[key].format(int(params[0][1]))

    def backdated(self) -> str:
        """The visits of the period logged late (Visit.backdated), behind the visits card's line."""
        return self.visits(backdated=1)

    def visits(self, **extra) -> str:
        params = [("unit", self.unit_id), ("date_from", self.first), ("date_to", self.last)]
        return self._url("fieldwork:visit-list", params + list(extra.items()))

    def concerns(self, statuses=(), *, by: str | None = "raised", **extra) -> str:
        params: list[tuple[str, object]] = [("unit", self.unit_id)]
        params += [("status", status) for status in statuses]
        if by:
            params += [(f"{by}_from", self.first), (f"{by}_to", self.last)]
        return self._url("fieldwork:concern-list", params + list(extra.items()))

    def raised(self, **extra) -> str:
        return self.concerns(NOT_WITHDRAWN, **extra)

    def open_now(self) -> str:
        return self.concerns(ACTIVE, by=None)

    def overdue_now(self) -> str:
        """The overdue page of the subtree (not bound to the period): the same concerns as the
        figure, with their overdue actions, and the CSV and XLSX exports of exactly those rows."""
        return self._url("fieldwork:overdue-list", [("unit", self.unit_id)])

    def supervised_now(self) -> str:
        """The supervised list (督办) of the subtree: the concerns open and under supervision today."""
        return self._url("fieldwork:concern-supervised-list", [("unit", self.unit_id)])

    def callbacks_awaiting(self, *, overdue: bool = False) -> str:
        """The callback queue of the subtree (not bound to the period): the concerns awaiting a
        callback today, or with `overdue` those past their callback deadline; with its export."""
        params: list[tuple[str, object]] = [("unit", self.unit_id)]
        if overdue:
            params.append(("overdue", 1))
        return self._url("fieldwork:callback-list", params)

    def callbacks_in_time(self, limit: str = "due") -> str:
        """The concerns with a callback in the period that answers a resolution (`limit` "due"), or of
        those one within the deadline ("within") or after it ("late")."""
        return self.concerns(by="callback", callback_limit=limit)

    def closed_as(self, status: str) -> str:
        """The concerns closed in the period in a final state apart from closed (unreachable, no answer)."""
        return self.concerns([status], by="closed")

    def supervised(self) -> str:
        """The concerns that came under supervision in the period (finished ones included)."""
        return self.concerns(NOT_WITHDRAWN, by="supervised")

    def extended(self) -> str:
        """The concerns with an extension approved in the period."""
        return self.concerns(NOT_WITHDRAWN, by="extended")

    def month(self, month: datetime.date) -> Links:
        return Links(self.unit_id, month, rollups.next_month(month) - datetime.timedelta(days=1), known=self.known)


def _bar_chart(series: list[tuple[str, list[int]]], labels: list[str]) -> dict:
    """Geometry of a grouped bar chart drawn as SVG by the template (no JavaScript, no CDN)."""
    width, height, left, bottom, top = 600, 200, 44, 28, 12  # text is 16 units: 10 px on a 390 px phone
    plot_height = height - bottom - top
    biggest = max([1] + [value for _name, values in series for value in values])
    group = (width - left) / max(1, len(labels))
    bar = group * 0.8 / max(1, len(series))
    bars, ticks = [], []
    for index, label in enumerate(labels):
        x0 = left + index * group + group * 0.1
        for position, (name, values) in enumerate(series):
            value = values[index]
            bar_height = round(plot_height * value / biggest, 1)
            bars.append(
                {
                    "x": round(x0 + position * bar, 1),
                    "y": round(top + plot_height - bar_height, 1),
                    "width": round(bar - 1, 1),
                    "height": bar_height,
                    "series": position,
                    "title": f"{label} · {name}: {value}",
                }
            )
        ticks.append({"x": round(left + index * group + group / 2, 1), "label": label})
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "max": biggest,
        "left": left,
        "top": top,
        "base": top + plot_height,
        "label_y": height - 6,
    }


def _child_columns(period_query: str, sort: str, descending: bool) -> list[dict]:
    """The child table's headers: each sorts by its column; clicking the sorted one reverses it."""
    labels = {
        "name": _("Unit"),
        "coverage": _("Coverage"),
        "response": _("Response rate"),
        "resolution": _("Resolution rate"),
        "satisfaction": _("Satisfaction rate"),
        "open": _("Open"),
        "overdue": _("Overdue"),
        # Translators: 督办, as a column heading: open concerns under supervision now
        "supervised": _("Supervised"),
        # Translators: 延期, as a column heading: extensions granted in the period
        "extended": _("Extended"),
    }
    columns = []
    for key, label in labels.items():
        value = f"-{key}" if key == sort and not descending else key
        columns.append(
            {
                "key": key,
                "label": label,
                "url": f"?{period_query}&sort={value}",
                "sorted": ("descending" if descending else "ascending") if key == sort else "",
            }
        )
    return columns


def _figure_urls(links: Links) -> dict[str, str]:
    return {
        "visits": links.visits(),
        "visits_backdated": links.backdated(),
        "raised": links.raised(),
        "withdrawn": links.concerns([Concern.Status.WITHDRAWN]),
        "resolved_of_raised": links.concerns(DONE),
        "policy": links.raised(solvability=Concern.Solvability.POLICY),
        "resolved": links.concerns(DONE, by="resolved"),
        "callbacks": links.concerns(by="callback"),
        "reopened": links.concerns(by="callback", satisfaction="dissatisfied"),
        "open": links.open_now(),
        "overdue": links.overdue_now(),
        "callbacks_awaiting": links.callbacks_awaiting(),
        "callbacks_overdue": links.callbacks_awaiting(overdue=True),
        "callbacks_due": links.callbacks_in_time("due"),
        "callbacks_late": links.callbacks_in_time("late"),
        "unreachable": links.closed_as(Concern.Status.UNREACHABLE),
        "no_answer": links.closed_as(Concern.Status.NO_ANSWER),
        "supervised_now": links.supervised_now(),
        "supervised": links.supervised(),
        "extended": links.extended(),
    }


def _dashboard_path() -> str:
    """A unit's dashboard address with `{}` for its id: reversed once per page, not once per unit."""
    return reverse("fieldwork:unit-dashboard", args=[0]).replace("/0/", "/{}/")


def _child_rows(children: list, links: Links, period_query: str) -> list[dict]:
    """Each child's row with the links behind its figures (the template tag `dashboard_child_rows`
    writes them)."""
    dashboard_path = _dashboard_path()
    rows = []
    for row in children:
        child = links.of_unit(row.unit.id)
        raised = child.raised()
        rows.append(
            {
                "row": row,
                "dashboard_url": f"{dashboard_path.format(row.unit.id)}?{period_query}",
                "visits_url": child.visits(),
                "raised_url": raised,
                "callbacks_url": child.concerns(by="callback"),
                "open_url": child.open_now(),
                "overdue_url": child.overdue_now(),
                "supervised_url": child.supervised_now(),
                "extended_url": child.extended(),
            }
        )
    return rows


def _child_sort(request) -> tuple[str, bool]:
    raw = request.GET.get("sort", "name")
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in SORTS:
        return "name", False
    return key, descending


PICKER_FIELDS = ("period", "from", "to", "year", "part")


def _picker(period, today: datetime.date, error: str | None, query) -> dict:
    """The period picker's controls (no JavaScript): a year and a part of it from two selects, quick
    links to this and the last month, quarter and year, a period typed as people write it, and two
    dates folded away; one Show button. A period that could not be read is said beside its field."""
    current_quarter = periods.Period.current_quarter(today)
    this_month = periods.Period.month(today.year, today.month)
    quick = [
        (_("This month"), this_month),
        (_("Last month"), this_month.shifted(-1)),
        (_("This quarter"), current_quarter),
        (_("Last quarter"), current_quarter.shifted(-1)),
        (_("This year"), periods.Period.year(today.year)),
        (_("Last year"), periods.Period.year(today.year - 1)),
    ]
    first_year = min(today.year - 9, period.first.year)
    parts = [
        ("", [("year", _("Whole year")), ("h1", _("First half")), ("h2", _("Second half"))]),
        (_("Quarters"), [(f"q{q}", periods.QUARTER_PARTS[q - 1]) for q in range(1, 5)]),
        (_("Months"), [(f"m{m}", MONTHS[m]) for m in range(1, 13)]),
    ]
    typed = query.get("period", "") if error else ""
    range_error = bool(error) and bool(query.get("from") or query.get("to"))
    select_error = bool(error) and not (query.get("period") or range_error)
    return {
        "years": list(range(today.year, first_year - 1, -1)),
        "year": period.first.year if period.kind != "range" else today.year,
        "part": period.part or "q" + str((today.month - 1) // 3 + 1),
        "parts": parts,
        "quick": [
            {"label": label, "query": urlencode(choice.param), "current": choice == period} for label, choice in quick
        ],
        "typed": typed[:40],
        "error": error,
        "typed_error": bool(error) and not range_error and not select_error,
        "range_error": range_error,
        "select_error": select_error,
        "range_open": period.kind == "range" or range_error,
        "date_from": period.first.isoformat() if period.kind == "range" else query.get("from", "")[:20],
        "date_to": period.last.isoformat() if period.kind == "range" else query.get("to", "")[:20],
    }


@require_safe
@login_required
def unit_dashboard(request, pk):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    period, error = periods.period_from_query(request.GET, today=today)
    asked = any(request.GET.get(name) for name in PICKER_FIELDS)
    if not error and asked and not periods.is_canonical(request.GET, period):
        # a period typed as people write it, or chosen from the selects: to its one address
        canonical = dict(period.param)
        if request.GET.get("sort") in {key for key in SORTS} | {f"-{key}" for key in SORTS}:
            canonical["sort"] = request.GET["sort"]
        return redirect(f"{request.path}?{urlencode(canonical)}")
    sort, descending = _child_sort(request)
    # The body is the same for everyone who may see the unit: cached under the dashboard stamp,
    # which every change the page counts renews (rollups.stamp_renew), so it is never stale.
    stamp = rollups.stamp()
    key = f"dashboard:{unit.pk}:{urlencode(period.param)}:{sort}:{descending}:{get_language()}:{today}:{stamp}"
    body = cache.get(key) if stamp is not None else None
    if body is None:
        body = _dashboard_body(request, unit=unit, period=period, today=today, sort=sort, descending=descending)
        if stamp is not None:
            cache.set(key, body, settings.FIELDWORK["DASHBOARD_CACHE_SECONDS"])
    previous, following = period.previous, period.next_until(today)
    previous_name, next_name = period.step_names
    return render(
        request,
        "fieldwork/dashboards/dashboard.html",
        {
            "unit": unit,
            "body": mark_safe(body),
            "period": period,
            "period_query": urlencode(period.param),
            "is_current": period.first <= today <= period.last,
            "previous": previous,
            "previous_query": urlencode(previous.param) if previous else "",
            "previous_name": previous_name,
            "next": following,
            "next_query": urlencode(following.param) if following else "",
            "next_name": next_name,
            "picker": _picker(period, today, error, request.GET),
            "landing": _landing_form(request, unit),
        },
        status=200,
    )


def _landing_form(request, unit) -> dict | None:
    """For a leader of the unit: whether this dashboard is their landing page, and the form to make it
    so (or to go back to My work)."""
    if not scope.is_leader_of(request.user, unit):
        return None
    # Read from the session (core.LANDING_SESSION_KEY, written where the preference is read or set),
    # not the database: the dashboard's queries stay those of its figures.
    return {"is_landing": request.session.get(LANDING_SESSION_KEY) == unit.pk}


def _dashboard_body(request, *, unit: Unit, period, today: datetime.date, sort: str, descending: bool) -> str:
    """The dashboard's figures rendered: everything of the page below the navigation."""
    figures = dashboard.dashboard_figures(unit=unit, period=period, today=today)
    children = _sorted_children(figures.children, sort, descending)
    links = Links(unit.pk, period.first, period.last)
    dashboard_path = _dashboard_path()
    trend_labels = [f"{row.month:%m}" for row in figures.trend]
    period_query = urlencode(period.param)
    principle_max = max([1] + [max(tag.visits, tag.concerns) for tag in figures.principles])
    category_max = max([1] + [tag.concerns for tag in figures.categories])
    return render_to_string(
        "fieldwork/dashboards/_dashboard_body.html",
        {
            "unit": unit,
            "d": figures,
            "period": period,
            "period_query": period_query,
            "counts": dashboard.COUNTS,
            "is_current": period.first <= today <= period.last,
            "links": links,
            "definitions": dashboard.DEFINITIONS,
            "definition_rows": [(dashboard.FIGURE_NAMES[key], text) for key, text in dashboard.DEFINITIONS.items()],
            "preamble": dashboard.PREAMBLE,
            "too_few_rule": dashboard.TOO_FEW_RULE,
            "children": children,
            "sort": sort,
            "descending": descending,
            "child_columns": _child_columns(period_query, sort, descending),
            "urls": _figure_urls(links),
            "principle_rows": [
                {
                    "tag": tag,
                    "visits_url": links.visits(principle=tag.id),
                    "concerns_url": links.raised(principle=tag.id),
                    "visits_width": round(100 * tag.visits / principle_max, 1),
                    "concerns_width": round(100 * tag.concerns / principle_max, 1),
                }
                for tag in figures.principles
            ],
            "category_rows": [
                {
                    "tag": tag,
                    "concerns_url": links.raised(category=tag.id),
                    "concerns_width": round(100 * tag.concerns / category_max, 1),
                }
                for tag in figures.categories
            ],
            "child_rows": _child_rows(children, links, period_query),
            "unvisited_rows": [
                {"unit": line, "url": f"{dashboard_path.format(line.id)}?{period_query}"} for line in figures.unvisited
            ],
            "trend_rows": [
                {
                    "row": row,
                    "visits_url": links.month(row.month).visits(),
                    "raised_url": links.month(row.month).raised(),
                    "resolved_url": links.month(row.month).concerns(DONE, by="resolved"),
                }
                for row in figures.trend
            ],
            "visits_chart": _bar_chart([(_("visits"), [row.visits for row in figures.trend])], trend_labels),
            "concerns_chart": _bar_chart(
                [
                    (_("concerns raised"), [row.raised for row in figures.trend]),
                    (_("concerns resolved"), [row.resolved for row in figures.trend]),
                ],
                trend_labels,
            ),
            "min_cases": settings.FIELDWORK["MIN_CASES"],
            "contact_points": contact_points.dashboard_figure(unit=unit, today=today),  # 联系点 (issue 21)
        },
        request=request,
    )


# --- the leader's way in: the navigation's dashboard and the landing page --------------------------


@require_safe
@login_required
def my_dashboards(request):
    """The navigation's Dashboard: the one unit a leader leads straight away, else the units they lead
    (their own first), then the whole tree. Not a leader: 404."""

    units = led_units(request.user)
    if not units:
        raise Http404
    choosing = request.GET.get("choose") == "1"  # from My work: to choose a landing page
    if len(units) == 1 and not choosing:
        return redirect("fieldwork:unit-dashboard", pk=units[0].pk)
    return render(request, "fieldwork/dashboards/my_dashboards.html", {"units": units, "choosing": choosing})


@require_POST
@login_required
def landing_set(request, pk):
    """Land on this unit's dashboard (`landing=1`) or on My work again (`landing=0`); leaders only."""
    from ..models import UserPreference

    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    if not scope.is_leader_of(request.user, unit):
        raise Http404
    choice = request.POST.get("landing")
    if choice not in ("0", "1"):
        messages.error(request, _("Choose whether to land on this dashboard."))
        return redirect("fieldwork:unit-dashboard", pk=unit.pk)
    if choice == "1":
        UserPreference.objects.update_or_create(user=request.user, defaults={"landing_unit": unit})
        request.session[LANDING_SESSION_KEY] = unit.pk
        messages.success(request, _("You now land on the dashboard of %(unit)s.") % {"unit": unit.name})
    else:
        UserPreference.objects.update_or_create(user=request.user, defaults={"landing_unit": None})
        request.session[LANDING_SESSION_KEY] = 0
        messages.success(request, _("You now land on My work."))
    if request.POST.get("next", "") == "my-work":
        return redirect("fieldwork:my-work")
    return redirect("fieldwork:unit-dashboard", pk=unit.pk)
