"""The concern lists: every concern in the reader's scope, and those the leaders supervise (督办).

Keyset pages with a capped count (paging), so the first page costs the same however many match.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import paging, scope, selectors
from ..filters import ConcernFilter, SupervisedFilter
from ..models import Concern

# --- the list ---------------------------------------------------------------------------------------

_STATUS_RANK = Case(
    *[When(status=value, then=Value(rank)) for rank, value in enumerate(Concern.Status.values)],
    default=Value(len(Concern.Status.values)),
    output_field=IntegerField(),
)
_PRIORITY_RANK = Case(
    *[When(priority=value, then=Value(rank)) for rank, value in enumerate(Concern.Priority.values)],
    default=Value(len(Concern.Priority.values)),
    output_field=IntegerField(),
)

# sort key → (field or annotation, its type, newest/highest first?). A leading "-" reverses.
# Anything else falls back to the default: user input never reaches order_by.
SORTS = {
    "raised": ("raised_at", datetime.datetime, True),
    "due": ("due_date", datetime.date, False),
    "status": ("status_rank", int, False),
    "priority": ("priority_rank", int, False),
}
DEFAULT_SORT = "raised"


def _sort(value: str) -> tuple[str, paging.Keyset]:
    """(sort parameter as understood, the list's order for keyset pages)."""
    reverse = value.startswith("-")
    key = value[1:] if reverse else value
    if key not in SORTS:
        key, reverse = DEFAULT_SORT, False
    field, kind, descending = SORTS[key]
    return ("-" if reverse else "") + key, paging.Keyset(field, kind=kind, descending=descending != reverse)


SCOPE_UNITS_LISTED = 2_000


def _counted(concern_filter: ConcernFilter, concerns: QuerySet, user) -> tuple[QuerySet, int, bool]:
    """(the rows to take the page from, their count, whether the count is capped).

    A search first takes the ids of up to SEARCH_COUNT_CAP + 1 matches through the token index (what
    its count reads anyway). When that is all of them the page is taken among them by id; when there
    are more, the page walks the newest concerns and checks each (text.search_filter, common=True),
    finding a page within a few thousand rows. PostgreSQL cannot choose between the two alone: from
    the query it cannot tell whether a phrase is in two rows or in forty thousand.
    """
    filtered = concern_filter.qs
    if not concern_filter.searched():
        total, capped = paging.count_capped(filtered)
        return filtered, total, capped
    cap = paging.SEARCH_COUNT_CAP
    # The scope's units by id as well as by path, when they are not too many to list: the database
    # then crosses the token index with the unit index, instead of reading every row of the company
    # that holds the tokens to find the scope's among them.
    units = list(scope.visible_units(user).values_list("pk", flat=True)[: SCOPE_UNITS_LISTED + 1])
    if len(units) <= SCOPE_UNITS_LISTED:
        filtered = filtered.filter(unit_id__in=units)
    ids = list(filtered.order_by().values_list("pk", flat=True)[: cap + 1])
    if len(ids) <= cap:
        return concerns.filter(pk__in=ids), len(ids), False
    concern_filter.common = True
    return concern_filter.filter_queryset(concerns.all()), cap, True


@require_safe
@login_required
def concern_list(request):
    """Concerns in scope, filtered; keyset pages (no OFFSET) and a count capped at 10,000 (1,000 for a
    search).

    The first page runs the same queries however many concerns match.
    """
    if any(value == "" for values in request.GET.lists() for value in values[1]):
        # A GET form sends its empty fields (app.js drops them; without JavaScript they arrive): the
        # clean address instead, so that a list's URL says only what it filters by.
        kept = [(key, value) for key, values in request.GET.lists() for value in values if value != ""]
        return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)
    today = timezone.localdate()
    concerns = (
        Concern.objects.visible_to(request.user)
        .select_related("unit", "category", "owner")
        .annotate(status_rank=_STATUS_RANK, priority_rank=_PRIORITY_RANK)
    )
    concern_filter = ConcernFilter(request.GET or None, queryset=concerns, user=request.user, today=today)
    sort, keyset = _sort(request.GET.get("sort", DEFAULT_SORT))
    filtered, total, capped = _counted(concern_filter, concerns, request.user)
    page = paging.keyset_page(
        filtered, keyset=keyset, after=request.GET.get("after"), size=settings.FIELDWORK["PAGE_SIZE"]
    )
    for concern in page.rows:
        concern.overdue_days = concern.days_overdue(today)
    query = request.GET.copy()
    query.pop("after", None)
    filters = query.copy()
    filters.pop("sort", None)
    next_query = query.copy()
    if page.next_cursor:
        next_query["after"] = page.next_cursor
    return render(
        request,
        "fieldwork/concerns/list.html",
        {
            "filter": concern_filter,
            "rows": page.rows,
            "total": total,
            "total_capped": capped,
            "total_display": number_format(total, force_grouping=True),
            "sort": sort,
            "sorts": [
                ("raised", _("Newest first")),
                ("-raised", _("Oldest first")),
                ("due", _("Due soonest")),
                ("status", _("Status")),
                ("priority", _("Priority")),
            ],
            "query": query.urlencode(),
            "filters": filters.urlencode(),
            "next_query": next_query.urlencode() if page.next_cursor else "",
            "is_later_page": page.later,
            "today": today,
        },
    )


# --- the supervised list (督办) -----------------------------------------------------------------------


@require_safe
@login_required
def concern_supervised_list(request):
    """Concerns the unit's leaders supervise (督办), in the reader's scope, most overdue first.

    Keyset pages on (due_date, id); the first page runs the same queries however many match.
    """
    today = timezone.localdate()
    supervised_filter = SupervisedFilter(request.GET or None, user=request.user)
    chosen = supervised_filter.selection()
    concerns = selectors.concerns_supervised(user=request.user, **chosen)
    page = paging.keyset_page(
        concerns, keyset=paging.BY_DUE_DATE, after=request.GET.get("after"), size=settings.FIELDWORK["PAGE_SIZE"]
    )
    total, capped = paging.count_capped(concerns)
    for concern in page.rows:
        concern.overdue_days = concern.days_overdue(today)
    query = request.GET.copy()
    query.pop("after", None)
    next_query = ""
    if page.next_cursor:
        following = query.copy()
        following["after"] = page.next_cursor
        next_query = following.urlencode()
    return render(
        request,
        "fieldwork/concerns/supervised.html",
        {
            "filter": supervised_filter,
            "rows": page.rows,
            "total": total,
            "total_shown": number_format(total, force_grouping=True) + ("+" if capped else ""),
            "filtered": bool(chosen["unit"] or chosen["finished"]),
            "query": query.urlencode(),
            "next_query": next_query,
            "is_later_page": page.later,
            "today": today,
        },
    )
