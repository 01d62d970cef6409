"""Overdue: concerns and actions past their due date, most overdue first, with CSV and XLSX export.

The page and both exports read the same selectors with the same filters, so an export holds
exactly the rows the page pages through, scoped like the page.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from .. import paging, scope, selectors
from ..exports import immediate_limit, jobs, too_large
from ..exports import overdue as overdue_export
from ..filters import OverdueFilter
from ..models import Export
from ..spreadsheets import in_language, workbook_response
from .exports import export_prepare


def _filtered(request) -> tuple[OverdueFilter, dict]:
    overdue_filter = OverdueFilter(request.GET or None, user=request.user)
    return overdue_filter, overdue_filter.selection()


def _query(request, **changes: str | None) -> str:
    """The current query string with some parameters replaced or (None) dropped."""
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


def _shown(count: int, capped: bool) -> str:
    """1,234, or 10,000+ when the count stopped at its cap."""
    return formats.number_format(count, force_grouping=True) + ("+" if capped else "")


def _mark_days(rows: list, today: datetime.date) -> list:
    for row in rows:
        row.days_overdue_count = selectors.days_overdue(row.due_date, today)
    return rows


@require_safe
@login_required
def overdue_list(request):
    today = timezone.localdate()
    overdue_filter, chosen = _filtered(request)
    concerns = selectors.concerns_overdue(user=request.user, today=today, **chosen)
    actions = selectors.actions_overdue(user=request.user, today=today, **chosen)
    size = settings.FIELDWORK["PAGE_SIZE"]
    concern_page = paging.keyset_page(
        concerns, keyset=paging.BY_DUE_DATE, after=request.GET.get("concerns_after"), size=size
    )
    action_page = paging.keyset_page(
        actions, keyset=paging.BY_DUE_DATE, after=request.GET.get("actions_after"), size=size
    )
    concern_count, concerns_capped = paging.count_capped(concerns)
    action_count, actions_capped = paging.count_capped(actions)
    filter_query = _query(request, concerns_after=None, actions_after=None)
    context = {
        "filter": overdue_filter,
        "today": today,
        "concerns": _mark_days(concern_page.rows, today),
        "actions": _mark_days(action_page.rows, today),
        "concerns_shown": _shown(concern_count, concerns_capped),
        "actions_shown": _shown(action_count, actions_capped),
        "concerns_text": ngettext("%(count)s overdue concern", "%(count)s overdue concerns", concern_count)
        % {"count": _shown(concern_count, concerns_capped)},
        "actions_text": ngettext("%(count)s overdue action", "%(count)s overdue actions", action_count)
        % {"count": _shown(action_count, actions_capped)},
        "filter_query": filter_query,
        "filtered": bool(chosen["unit"] or chosen["owner"] or chosen["supervised"]),
        "concerns_next": concern_page.next_cursor and _query(request, concerns_after=concern_page.next_cursor),
        "actions_next": action_page.next_cursor and _query(request, actions_after=action_page.next_cursor),
        "concerns_paged": concern_page.later,
        "actions_paged": action_page.later,
        # the page's own (capped) counts decide, as too_large() would
        "export_large": concern_count + action_count > immediate_limit(),
        "export_limit": immediate_limit(),
        "prepare_url": reverse("fieldwork:overdue-prepare") + (f"?{filter_query}" if filter_query else ""),
        "prepare_kinds": [(kind, Export.Kind(kind).label) for kind in OVERDUE_KINDS],
        "concerns_first": _query(request, concerns_after=None),
        "actions_first": _query(request, actions_after=None),
    }
    return render(request, "fieldwork/overdue/list.html", context)


# ---------------------------------------------------------------------------------------------
# Export: at once when small, otherwise prepared in the background (fieldwork/exports/jobs.py)
# ---------------------------------------------------------------------------------------------


def _too_large(request, chosen: dict, today: datetime.date) -> bool:
    return too_large(lambda cap: overdue_export.overdue_count(user=request.user, today=today, chosen=chosen, cap=cap))


OVERDUE_KINDS = {Export.Kind.OVERDUE_XLSX: "xlsx", Export.Kind.OVERDUE_CSV: "csv"}


def _prepare_instead(request) -> HttpResponse:
    """A large export is never made by a GET: the page offers to prepare it as a file."""
    messages.info(
        request, _("This export is large, so it is prepared as a file in the background: choose the file below.")
    )
    query = request.GET.urlencode()
    return redirect(reverse("fieldwork:overdue-list") + (f"?{query}" if query else "") + "#export")


@require_safe
@login_required
def overdue_export_csv(request):
    """All filtered rows, concerns then actions, as UTF-8 CSV with a BOM so that Excel reads Chinese."""
    today = timezone.localdate()
    _filter, chosen = _filtered(request)
    if _too_large(request, chosen, today):
        return _prepare_instead(request)
    lines = overdue_export.overdue_csv(user=request.user, today=today, chosen=chosen)
    response = StreamingHttpResponse(in_language(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overdue-{today:%Y-%m-%d}.csv"'
    return response


@require_safe
@login_required
def overdue_export_xlsx(request):
    """All filtered rows in a workbook: one sheet of concerns, one of actions, under a title row."""
    today = timezone.localdate()
    _filter, chosen = _filtered(request)
    if _too_large(request, chosen, today):
        return _prepare_instead(request)
    user = request.user

    def fill(workbook, formats) -> None:
        overdue_export.overdue_workbook(workbook, formats, user=user, today=today, chosen=chosen)

    return workbook_response(fill, filename=f"overdue-{today:%Y-%m-%d}.xlsx")


@require_POST
@login_required
def overdue_prepare(request):
    """Ask for a large export of the filtered overdue list as a file made by the task queue."""
    today = timezone.localdate()
    _filter, chosen = _filtered(request)
    query = request.GET.urlencode()
    back = reverse("fieldwork:overdue-list") + (f"?{query}" if query else "")
    kind = request.POST.get("kind", "")
    if kind not in OVERDUE_KINDS:
        messages.error(request, _("Choose which file to prepare: the workbook or the CSV file."))
        return redirect(back)

    def make() -> Export:
        return jobs.export_request(
            user=request.user,
            kind=kind,
            title=overdue_export.overdue_title(user=request.user, chosen=chosen, today=today),
            filename=f"overdue-{today:%Y-%m-%d}.{OVERDUE_KINDS[kind]}",
            units=[chosen["unit"]] if chosen["unit"] else scope.top_units(request.user),
            params={"query": query},
        )

    return export_prepare(request, back=back, make=make)
