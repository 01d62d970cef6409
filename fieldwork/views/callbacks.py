"""The callback queue (/callbacks/): resolved concerns awaiting their callback in the reader's scope,
oldest deadline first, filterable, with a workbook export (prepared by the queue when large).

The page and the export read the same selector with the same filters, so the file holds exactly
the rows the page pages through, scoped like the page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from .. import paging, scope, selectors
from ..exports import callbacks as callback_export
from ..exports import immediate_limit, jobs, too_large
from ..filters import CallbackFilter
from ..models import Export
from ..spreadsheets import workbook_response
from .exports import export_prepare
from .overdue import _query, _shown


def _filtered(request) -> tuple[CallbackFilter, dict]:
    callback_filter = CallbackFilter(request.GET or None, user=request.user)
    return callback_filter, callback_filter.selection()


@require_safe
@login_required
def callback_list(request):
    today = timezone.localdate()
    callback_filter, chosen = _filtered(request)
    concerns = selectors.callbacks_awaiting(user=request.user, today=today, **chosen)
    page = paging.keyset_page(
        selectors.with_attempts(concerns),
        keyset=paging.BY_CALLBACK_DUE,
        after=request.GET.get("after"),
        size=settings.FIELDWORK["PAGE_SIZE"],
    )
    count, capped = paging.count_capped(concerns)
    filter_query = _query(request, after=None)
    context = {
        "filter": callback_filter,
        "today": today,
        "concerns": selectors.callback_rows(page.rows, user=request.user, today=today),
        "count_text": ngettext("%(count)s concern awaiting a callback", "%(count)s concerns awaiting a callback", count)
        % {"count": _shown(count, capped)},
        "filter_query": filter_query,
        "filtered": any(chosen.values()),
        "next": page.next_cursor and _query(request, after=page.next_cursor),
        "paged": page.later,
        "first": _query(request, after=None),
        "export_large": count > immediate_limit(),
        "export_limit": immediate_limit(),
        "prepare_url": reverse("fieldwork:callback-prepare") + (f"?{filter_query}" if filter_query else ""),
        "prepare_kinds": [(Export.Kind.CALLBACKS_XLSX, Export.Kind.CALLBACKS_XLSX.label)],
    }
    return render(request, "fieldwork/callbacks/list.html", context)


@require_safe
@login_required
def callback_export_xlsx(request):
    """All filtered rows in a workbook; a large one is prepared by the queue instead."""
    today = timezone.localdate()
    _filter, chosen = _filtered(request)
    user = request.user
    if too_large(lambda cap: callback_export.callback_count(user=user, today=today, chosen=chosen, cap=cap)):
        messages.info(
            request, _("This export is large, so it is prepared as a file in the background: choose the file below.")
        )
        query = request.GET.urlencode()
        return redirect(reverse("fieldwork:callback-list") + (f"?{query}" if query else "") + "#export")

    def fill(workbook, formats) -> None:
        callback_export.callback_workbook(workbook, formats, user=user, today=today, chosen=chosen)

    return workbook_response(fill, filename=f"callbacks-{today:%Y-%m-%d}.xlsx")


@require_POST
@login_required
def callback_prepare(request):
    """Ask for the filtered queue as a workbook made by the task queue."""
    today = timezone.localdate()
    _filter, chosen = _filtered(request)
    query = request.GET.urlencode()
    back = reverse("fieldwork:callback-list") + (f"?{query}" if query else "")

    def make() -> Export:
        return jobs.export_request(
            user=request.user,
            kind=Export.Kind.CALLBACKS_XLSX,
            title=callback_export.callback_title(user=request.user, chosen=chosen, today=today),
            filename=f"callbacks-{today:%Y-%m-%d}.xlsx",
            units=[chosen["unit"]] if chosen["unit"] else scope.top_units(request.user),
            params={"query": query},
        )

    return export_prepare(request, back=back, make=make)
