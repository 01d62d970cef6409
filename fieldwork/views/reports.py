"""Reports: the monthly ledger (台账) of a unit's subtree, as a printable page and an XLSX workbook.

A ledger is a record that is filed and printed: it holds every row of the period, never a page of
them, and never the contacts of the people who raised concerns. The figures are the dashboard's
own (dashboard.dashboard_figures), not counted again here.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import dashboard, selectors
from ..exports import immediate_limit, jobs, too_large
from ..exports import ledger as ledger_export
from ..exports.printable import print_margins
from ..inputs import object_id
from ..models import Export, Unit
from ..periods import Period, PeriodError, period_parse
from ..spreadsheets import title_line, workbook_response
from .exports import export_prepare

CHUNK = 2000


# --- what the request asks for ----------------------------------------------------------------------


def previous_month(today: datetime.date) -> Period:
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return Period.month(last.year, last.month)


def _ledger_request(request) -> tuple[Unit | None, Period]:
    """The unit (scoped: outside the user's units is a 404) and the period of a ledger request.

    Without ?unit= the ledger is of the highest unit the user may see; without a period, of the
    previous month (the month a ledger is filed for).
    """
    today = timezone.localdate()
    visible = Unit.objects.visible_to(request.user)
    raw_unit = request.GET.get("unit", "")
    if raw_unit:
        unit_id = object_id(raw_unit)
        if unit_id is None:
            raise Http404
        unit = get_object_or_404(visible, pk=unit_id)
    else:
        unit = visible.order_by("depth", "path").first()
    query = request.GET
    period = previous_month(today)
    if query.get("period") or query.get("from") or query.get("to"):
        try:
            period = period_parse(
                period=query.get("period", "")[:20],
                date_from=query.get("from", "")[:20],
                date_to=query.get("to", "")[:20],
            )
        except PeriodError as error:
            messages.warning(request, _("%(error)s Showing the previous month instead.") % {"error": error})
    return unit, period


# --- the page ---------------------------------------------------------------------------------------


@require_safe
@login_required
@csp_update({"style-src": [NONCE]})  # the <style> of the printed pages' margins (print_margins), nothing else
def ledger(request):
    """The ledger as a page that prints on A4, with every row of the period when they are few; a
    larger ledger shows its summary and offers the whole as a file prepared in the background."""
    unit, period = _ledger_request(request)
    context: dict = {"unit": unit, "period": period}
    if unit is not None:
        today = timezone.localdate()
        figures = dashboard.dashboard_figures(unit=unit, period=period, today=today)
        large = too_large(lambda cap: ledger_export.ledger_count(unit=unit, period=period, cap=cap))
        query = urlencode({"unit": unit.pk, **period.param})
        context.update(
            {
                "figures": figures,
                "summary": ledger_export.summary_lines(figures),
                "large": large,
                "limit": immediate_limit(),
                "query": query,
                "period_query": urlencode(period.param),
                "previous_query": urlencode({"unit": unit.pk, **period.previous.param}) if period.previous else "",
                "next_query": urlencode({"unit": unit.pk, **period.next.param}) if period.next else "",
                "today": today,
                "print_margins": print_margins(unit=unit, period=period, user=request.user, today=today),
                "prepare_url": f"{reverse('fieldwork:ledger-prepare')}?{query}",
                "prepare_kinds": [(kind, Export.Kind(kind).label) for kind in LEDGER_KINDS],
            }
        )
        if not large:  # at most `limit` rows: read whole, in two queries and their prefetches
            context["visits"] = list(selectors.ledger_visits(unit=unit, first=period.first, last=period.last))
            context["concerns"] = list(ledger_export.ledger_concerns_shown(unit=unit, period=period))
    return render(request, "fieldwork/reports/ledger.html", context)


# --- the workbook -----------------------------------------------------------------------------------


@require_safe
@login_required
def ledger_xlsx(request):
    """The ledger as a workbook (fieldwork.exports.ledger), made at once for a small ledger, read in
    chunks only as the download is sent (never for a HEAD). A large one is prepared in the
    background instead: the ledger page offers it."""
    unit, period = _ledger_request(request)
    if unit is None:
        raise Http404
    if too_large(lambda cap: ledger_export.ledger_count(unit=unit, period=period, cap=cap)):
        messages.info(
            request, _("This ledger is large, so it is prepared as a file in the background: choose the file below.")
        )
        return redirect(f"{reverse('fieldwork:ledger')}?{urlencode({'unit': unit.pk, **period.param})}#export")
    today = timezone.localdate()
    user = request.user

    def fill(workbook, formats) -> None:
        ledger_export.ledger_workbook(workbook, formats, unit=unit, period=period, user=user, today=today)

    return workbook_response(fill, filename=f"ledger-{unit.code}-{'-'.join(period.param.values())}.xlsx")


# --- a large ledger, prepared in the background ------------------------------------------------------

LEDGER_KINDS = (Export.Kind.LEDGER_PAGE, Export.Kind.LEDGER_XLSX)
EXTENSIONS = {Export.Kind.LEDGER_PAGE: "html", Export.Kind.LEDGER_XLSX: "xlsx"}


@require_POST
@login_required
def ledger_prepare(request):
    """Ask for the whole ledger as a file (a workbook, or a page to print), made by the task queue."""
    unit, period = _ledger_request(request)
    if unit is None:
        raise Http404
    back = f"{reverse('fieldwork:ledger')}?{urlencode({'unit': unit.pk, **period.param})}"
    kind = request.POST.get("kind", "")
    if kind not in EXTENSIONS:
        messages.error(request, _("Choose which file to prepare: the workbook or the page to print."))
        return redirect(back)

    def make() -> Export:
        return jobs.export_request(
            user=request.user,
            kind=kind,
            title=title_line(_("Monthly ledger"), unit.name, period.label),
            filename=f"ledger-{unit.code}-{'-'.join(period.param.values())}.{EXTENSIONS[kind]}",
            units=[unit],
            params={"unit": unit.pk, **period.param},
        )

    return export_prepare(request, back=back, make=make)
