"""The overdue export: every filtered overdue concern and action, as CSV or as a workbook.

It reads the overdue page's own selectors with the page's own filters (fieldwork.filters.OverdueFilter),
so a file holds exactly the rows the page pages through, scoped like the page. Labels are translated
when the rows are built, in the language active then (the request's, or the one a job was asked in).
"""

from __future__ import annotations

import csv
import datetime
import functools
from collections.abc import Iterator

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..display import display_name, name_of
from ..models import Concern, Unit
from ..spreadsheets import Column, Formats, sheet_write, title_line
from . import Progress

CHUNK = 2000
OWNER_FIELDS = ("owner__first_name", "owner__last_name", "owner__username")
# The export reads tuples of only the columns it shows: building model instances was most of its time.
CONCERN_FIELDS = (
    *("reference", "title", "unit__name", *OWNER_FIELDS, "due_date", "status"),
    *("source", "raised_at"),
)
# Whether a concern is supervised (督办), read as a boolean: parsing each supervision's time was a
# tenth of the rows' time.
SUPERVISED = ExpressionWrapper(Q(supervised_at__isnull=False), output_field=BooleanField())
ACTION_FIELDS = (
    *("concern__reference", "description", "concern__unit__name", *OWNER_FIELDS),
    *("due_date", "concern__status"),
)
CONCERN_WIDTHS = [18, 48, 24, 16, 12, 14, 16, 12, 10, 14]
ACTION_WIDTHS = [18, 48, 24, 16, 12, 14, 16]
# Characters that make a spreadsheet read a cell as a formula (CSV injection through a title
# typed on the public channel).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def overdue_headers() -> tuple[list[str], list[str]]:
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


def overdue_count(*, user, today: datetime.date, chosen: dict, cap: int) -> int:
    """Rows the export would hold, counting no further than `cap` (enough to choose now or later)."""
    concerns = selectors.concerns_overdue(user=user, today=today, **chosen).values("pk")[:cap].count()
    if concerns >= cap:
        return concerns
    return concerns + selectors.actions_overdue(user=user, today=today, **chosen).values("pk")[: cap - concerns].count()


def overdue_rows(*, user, today: datetime.date, chosen: dict) -> tuple[Iterator[list], Iterator[list]]:
    """Every filtered overdue concern and action as lists of cells, read in chunks."""
    statuses = {value: str(label) for value, label in Concern.Status.choices}
    unassigned = _("Unassigned")
    estimated = _("estimated")
    supervised, public = _("Supervised"), _("Public channel")
    concerns = selectors.concerns_overdue(user=user, today=today, **chosen).values_list(*CONCERN_FIELDS, SUPERVISED)
    actions = selectors.actions_overdue(user=user, today=today, **chosen).values_list(*ACTION_FIELDS)

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

    zone = timezone.get_current_timezone()  # once: asking for it is a context-local lookup

    def concern_rows() -> Iterator[list]:
        rows = concerns.iterator(chunk_size=CHUNK)
        for reference, title, unit, first, last, username, due, status, source, raised_at, is_supervised in rows:
            yield [
                reference,
                title,
                unit,
                owner(first, last, username),
                due,
                days(due),
                statuses.get(status, status),
                estimate(raised_at.astimezone(zone).date(), due),
                supervised if is_supervised else "",
                public if source == Concern.Source.PUBLIC else "",
            ]

    def action_rows() -> Iterator[list]:
        for reference, description, unit, first, last, username, due, status in actions.iterator(chunk_size=CHUNK):
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


def overdue_title(*, user, chosen: dict, today: datetime.date) -> str:
    """Which unit, as of which day, exported by whom: the filtered unit, or the highest one in scope."""
    unit = chosen["unit"] or Unit.objects.visible_to(user).order_by("depth", "path").first()
    return title_line(
        _("Overdue concerns and actions"),
        unit.name if unit else "",
        _("as of %(date)s") % {"date": formats.date_format(today, "DATE_FORMAT")},
        _("exported by %(name)s") % {"name": display_name(user)},
    )


def _safe_text(value):
    """Text that a spreadsheet shows as typed, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns what it is given, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def overdue_csv(*, user, today: datetime.date, chosen: dict, progress: Progress | None = None) -> Iterator[str]:
    """All filtered rows, concerns then actions, as lines of UTF-8 CSV led by a BOM (so that Excel
    reads Chinese)."""
    progress = progress or Progress()
    concern_headers, action_headers = overdue_headers()
    # One file for both kinds: the status column is the concern's, for an action too; whether the
    # due date is estimated comes next, for concerns only, and the markers (督办, 群众监督) after it,
    # for concerns only too.
    headers = [_("Type"), *concern_headers[:-4], action_headers[-1], *concern_headers[-3:]]
    concern_kind, action_kind = _("Concern"), _("Follow-up action")
    concern_rows, action_rows = overdue_rows(user=user, today=today, chosen=chosen)
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in progress.counted(concern_rows):
        yield writer.writerow([concern_kind, *(_safe_text(cell) for cell in row)])
    for row in progress.counted(action_rows):
        yield writer.writerow([action_kind, *(_safe_text(cell) for cell in row)])
    progress.finish()


def overdue_workbook(
    workbook, formats: Formats, *, user, today: datetime.date, chosen: dict, progress: Progress | None = None
) -> None:
    """All filtered rows in a workbook: one sheet of concerns, one of actions, under a title row."""
    progress = progress or Progress()
    concern_headers, action_headers = overdue_headers()
    concern_rows, action_rows = overdue_rows(user=user, today=today, chosen=chosen)
    title = overdue_title(user=user, chosen=chosen, today=today)
    concern_columns = [
        Column(header, width, wrap=index == 1)
        for index, (header, width) in enumerate(zip(concern_headers, CONCERN_WIDTHS, strict=True))
    ]
    action_columns = [
        Column(header, width, wrap=index == 1)
        for index, (header, width) in enumerate(zip(action_headers, ACTION_WIDTHS, strict=True))
    ]
    sheet_write(
        workbook, _("Overdue concerns"), title, concern_columns, progress.counted(concern_rows), formats=formats
    )
    sheet_write(workbook, _("Overdue actions"), title, action_columns, progress.counted(action_rows), formats=formats)
    progress.finish()
