"""Overdue: concerns and actions past their due date, most overdue first, with CSV and XLSX export.

The page and both exports read the same selectors with the same filters, so an export holds
exactly the rows the page pages through, scoped like the page.
"""

from __future__ import annotations

import csv
import datetime
import functools
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from .. import paging, selectors
from ..display import display_name, name_of
from ..filters import OverdueFilter
from ..models import Concern, Unit
from ..spreadsheets import Column, Formats, sheet_write, title_line, workbook_response

EXPORT_CHUNK = 2000
OWNER_FIELDS = ("owner__first_name", "owner__last_name", "owner__username")
# The export reads tuples of only the columns it shows: building model instances was most of its time.
EXPORT_CONCERN_FIELDS = (
    *("reference", "title", "unit__name", *OWNER_FIELDS, "due_date", "status"),
    *("supervised_at", "source", "raised_at"),
)
EXPORT_ACTION_FIELDS = (
    *("concern__reference", "description", "concern__unit__name", *OWNER_FIELDS),
    *("due_date", "concern__status"),
)
# Characters that make a spreadsheet read a cell as a formula (CSV injection through a title
# typed on the public channel).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
        "concerns_first": _query(request, concerns_after=None),
        "actions_first": _query(request, actions_after=None),
    }
    return render(request, "fieldwork/overdue/list.html", context)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _headers() -> tuple[list[str], list[str]]:
    """Column headers in the active language, for concerns and for actions."""
    common = [_("Unit"), _("Owner"), _("Due date"), _("Working days overdue")]
    return (
        [
            _("Reference"),
            _("Title"),
            *common,
            _("Status"),
            _("Due date estimated"),
            _("Supervised"),
            _("Public channel"),
        ],
        [_("Reference"), _("Action"), *common, _("Concern status")],
    )


def _export_rows(request, today: datetime.date, chosen: dict) -> tuple[Iterator[list], Iterator[list]]:
    """Every filtered overdue concern and action as lists of cells, read in chunks.

    Labels are translated here, in the view, because a streamed body is produced after the
    view has returned.
    """
    statuses = {value: str(label) for value, label in Concern.Status.choices}
    unassigned = _("Unassigned")
    estimated = _("estimated")
    supervised, public = _("Supervised"), _("Public channel")
    concerns = selectors.concerns_overdue(user=request.user, today=today, **chosen).values_list(*EXPORT_CONCERN_FIELDS)
    actions = selectors.actions_overdue(user=request.user, today=today, **chosen).values_list(*EXPORT_ACTION_FIELDS)

    # Thousands of rows share a few hundred due dates, owners and days raised: work each out once.
    @functools.cache
    def days(due: datetime.date) -> int:
        return selectors.days_overdue(due, today)

    @functools.cache
    def owner(first: str | None, last: str | None, username: str | None) -> str:
        return unassigned if username is None else name_of(first, last, username)

    @functools.cache
    def estimate(raised_on: datetime.date, due: datetime.date) -> str:
        # Every overdue concern is active (open or in progress).
        return estimated if Concern.dates_estimated(raised_on=raised_on, due_date=due, active=True, today=today) else ""

    def concern_rows() -> Iterator[list]:
        rows = concerns.iterator(chunk_size=EXPORT_CHUNK)
        for reference, title, unit, first, last, username, due, status, supervised_at, source, raised_at in rows:
            yield [
                reference,
                title,
                unit,
                owner(first, last, username),
                due,
                days(due),
                statuses.get(status, status),
                estimate(timezone.localtime(raised_at).date(), due),
                supervised if supervised_at else "",
                public if source == Concern.Source.PUBLIC else "",
            ]

    def action_rows() -> Iterator[list]:
        for reference, description, unit, first, last, username, due, status in actions.iterator(
            chunk_size=EXPORT_CHUNK
        ):
            yield [
                reference,
                description,
                unit,
                owner(first, last, username),
                due,
                days(due),
                statuses.get(status, status),
            ]

    return concern_rows(), action_rows()


def _safe_text(value):
    """Text that a spreadsheet shows as typed, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns what it is given, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


@require_safe
@login_required
def overdue_export_csv(request):
    """All filtered rows, concerns then actions, as UTF-8 CSV with a BOM so that Excel reads Chinese."""
    today = timezone.localdate()
    concern_headers, action_headers = _headers()
    # One file for both kinds: the status column is the concern's, for an action too; whether the
    # due date is estimated comes next, for concerns only, and
    # the markers (督办, 群众监督) after it, for concerns only too.
    headers = [_("Type"), *concern_headers[:-4], action_headers[-1], *concern_headers[-3:]]
    concern_kind, action_kind = _("Concern"), _("Follow-up action")
    _filter, chosen = _filtered(request)
    concern_rows, action_rows = _export_rows(request, today, chosen)

    def stream() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(headers)
        for row in concern_rows:
            yield writer.writerow([concern_kind, *(_safe_text(cell) for cell in row)])
        for row in action_rows:
            yield writer.writerow([action_kind, *(_safe_text(cell) for cell in row)])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overdue-{today:%Y-%m-%d}.csv"'
    return response


CONCERN_WIDTHS = [18, 48, 24, 16, 12, 14, 16, 12, 10, 14]
ACTION_WIDTHS = [18, 48, 24, 16, 12, 14, 16]


def export_title(request, chosen: dict, today: datetime.date) -> str:
    """Which unit, as of which day, exported by whom: the filtered unit, or the highest one in scope."""
    unit = chosen["unit"] or Unit.objects.visible_to(request.user).order_by("depth", "path").first()
    return title_line(
        _("Overdue concerns and actions"),
        unit.name if unit else "",
        _("as of %(date)s") % {"date": formats.date_format(today, "DATE_FORMAT")},
        _("exported by %(name)s") % {"name": display_name(request.user)},
    )


@require_safe
@login_required
def overdue_export_xlsx(request):
    """All filtered rows in a workbook: one sheet of concerns, one of actions, under a title row."""
    today = timezone.localdate()
    concern_headers, action_headers = _headers()
    _filter, chosen = _filtered(request)
    concern_rows, action_rows = _export_rows(request, today, chosen)
    title = export_title(request, chosen, today)
    concern_columns = [
        Column(header, width, wrap=index == 1)
        for index, (header, width) in enumerate(zip(concern_headers, CONCERN_WIDTHS, strict=True))
    ]
    action_columns = [
        Column(header, width, wrap=index == 1)
        for index, (header, width) in enumerate(zip(action_headers, ACTION_WIDTHS, strict=True))
    ]

    def fill(workbook, formats: Formats) -> None:
        sheet_write(workbook, _("Overdue concerns"), title, concern_columns, concern_rows, formats=formats)
        sheet_write(workbook, _("Overdue actions"), title, action_columns, action_rows, formats=formats)

    return workbook_response(fill, filename=f"overdue-{today:%Y-%m-%d}.xlsx")
