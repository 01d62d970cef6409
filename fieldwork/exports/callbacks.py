"""The callback queue's export: every filtered concern awaiting its callback, as a workbook.

It reads the queue's own selector with the page's own filters (fieldwork.filters.CallbackFilter), so
the file holds exactly the rows the page pages through, scoped like the page. The raiser's contact
is written only where the reader may see it (permissions.contact_visible_for, the detail page's rule).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import permissions, selectors, workdays
from ..display import display_name, name_of
from ..models import Unit
from ..spreadsheets import Column, Formats, sheet_write, title_line
from . import Progress
from .overdue import CHUNK, OWNER_FIELDS, _safe_text

FIELDS = (
    *("reference", "title", "unit__name", "unit__path", *OWNER_FIELDS, "owner_id"),
    *("resolved_at", "callback_due", "raised_by_name", "raised_by_contact", "anonymous"),
)
WIDTHS = [18, 48, 24, 16, 12, 12, 12, 16, 20]


def callback_headers() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Unit"),
        _("Owner"),
        _("Resolved on"),
        _("Callback due"),
        _("Working days late"),
        _("Raised by"),
        _("Contact"),
    ]


def callback_count(*, user, today: datetime.date, chosen: dict, cap: int) -> int:
    """Rows the export would hold, counting no further than `cap`."""
    return selectors.callbacks_awaiting(user=user, today=today, **chosen).values("pk")[:cap].count()


def callback_rows(*, user, today: datetime.date, chosen: dict) -> Iterator[list]:
    """Every filtered concern awaiting its callback as a list of cells, read in chunks."""
    rows = selectors.callbacks_awaiting(user=user, today=today, **chosen).values_list(*FIELDS)
    unassigned, anonymous_text = _("Unassigned"), _("Anonymous")
    zone = timezone.get_current_timezone()

    @functools.cache
    def late(due: datetime.date | None) -> int:
        return workdays.days_overdue(due, today) if due else 0

    @functools.cache
    def owner(first: str | None, last: str | None, username: str | None) -> str:
        return unassigned if username is None else name_of(first, last, username)

    for row in rows.iterator(chunk_size=CHUNK):
        reference, title, unit, path, first, last, username, owner_id, resolved_at, due, name, contact, anon = row
        shown = permissions.contact_visible_for(user=user, anonymous=anon, owner_id=owner_id, unit_path=path)
        yield [
            reference,
            _safe_text(title),
            unit,
            owner(first, last, username),
            resolved_at.astimezone(zone).date() if resolved_at else "",
            due or "",
            late(due),
            anonymous_text if anon else _safe_text(name),
            _safe_text(contact) if shown else "",
        ]


def callback_title(*, user, chosen: dict, today: datetime.date) -> str:
    unit = chosen["unit"] or Unit.objects.visible_to(user).order_by("depth", "path").first()
    return title_line(
        _("Concerns awaiting a callback"),
        unit.name if unit else "",
        _("as of %(date)s") % {"date": formats.date_format(today, "DATE_FORMAT")},
        _("exported by %(name)s") % {"name": display_name(user)},
    )


def callback_workbook(
    workbook, formats: Formats, *, user, today: datetime.date, chosen: dict, progress: Progress | None = None
) -> None:
    """All filtered rows in one sheet under a title row."""
    progress = progress or Progress()
    columns = [
        Column(header, width, wrap=index == 1)
        for index, (header, width) in enumerate(zip(callback_headers(), WIDTHS, strict=True))
    ]
    rows = callback_rows(user=user, today=today, chosen=chosen)
    title = callback_title(user=user, chosen=chosen, today=today)
    sheet_write(workbook, _("Awaiting a callback"), title, columns, progress.counted(rows), formats=formats)
    progress.finish()
