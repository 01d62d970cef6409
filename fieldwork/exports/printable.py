"""The monthly ledger as a stand-alone page to print (A4 landscape), written to a file piece by piece.

The page is templates/fieldwork/reports/ledger_file.html; its visit rows and concerns are the ledger
page's own fragments (_ledger_visit_rows.html, _ledger_concerns.html), rendered a chunk at a time, so
the ledger of the whole company is written with a flat heap.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import dashboard, display, selectors
from ..models import Unit
from ..periods import Period
from . import Progress, chunked
from .ledger import CHUNK, ledger_concerns_shown, summary_lines

VISITS, CONCERNS = "\x00visits\x00", "\x00concerns\x00"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes, line ends and "<" escaped, so it can sit
    in a <style> element without ending it or breaking out of the string."""
    escaped = []
    for char in str(text):
        if char in "\\\"'<>&" or ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def print_margins(*, unit: Unit, period: Period, user, today: datetime.date) -> str:
    """What every printed page of a ledger carries in its margins (the @page margin boxes of app.css and
    ledger_file.html read these custom properties): its title, unit, period, who printed it and when,
    and "page n of m" around Chromium's own page counters. Returned as CSS declarations for :root.

    The values are per request (the user, the unit), so they cannot live in a static stylesheet; the
    ledger page puts them in a <style> with the request's CSP nonce (views/reports.py)."""
    page = _("Page %(page)s of %(pages)s")
    before, rest = page.split("%(page)s", 1)
    middle, after = rest.split("%(pages)s", 1)
    values = {
        "title": _("Ledger (台账) of %(name)s") % {"name": unit.name},
        "period": _("%(label)s, %(first)s to %(last)s")
        % {
            "label": period.label,
            "first": formats.date_format(period.first, "DATE_FORMAT"),
            "last": formats.date_format(period.last, "DATE_FORMAT"),
        },
        "printed": _("Printed by %(name)s on %(date)s")
        % {"name": display.display_name(user), "date": formats.date_format(today, "DATE_FORMAT")},
        "page-before": before,
        "page-middle": middle,
        "page-after": after,
    }
    return " ".join(f"--fw-print-{key}: {css_string(value)};" for key, value in values.items())


def ledger_page_write(
    output, *, unit: Unit, period: Period, user, today: datetime.date, progress: Progress | None = None
) -> None:
    """Write the printable ledger of a unit's subtree for a period to a binary file object."""
    progress = progress or Progress()
    figures = dashboard.dashboard_figures(unit=unit, period=period, today=today)
    page = render_to_string(
        "fieldwork/reports/ledger_file.html",
        {
            "unit": unit,
            "period": period,
            "today": today,
            "user": user,
            "language": translation.get_language(),
            "print_margins": mark_safe(print_margins(unit=unit, period=period, user=user, today=today)),
            "summary": summary_lines(figures),
            "visit_rows": mark_safe(VISITS),
            "concern_rows": mark_safe(CONCERNS),
        },
    )
    head, rest = page.split(VISITS)
    middle, foot = rest.split(CONCERNS)
    output.write(head.encode())

    visits = selectors.ledger_visits(unit=unit, first=period.first, last=period.last).iterator(chunk_size=CHUNK)
    written = False
    for chunk in chunked(progress.counted(visits), CHUNK):
        output.write(render_to_string("fieldwork/reports/_ledger_visit_rows.html", {"visits": chunk}).encode())
        written = True
    if not written:
        output.write(format_html('<tr><td colspan="8">{}</td></tr>', _("No visits in this period.")).encode())
    output.write(middle.encode())

    concerns = ledger_concerns_shown(unit=unit, period=period)
    written = False
    for chunk in chunked(progress.counted(concerns.iterator(chunk_size=CHUNK)), CHUNK):
        output.write(render_to_string("fieldwork/reports/_ledger_concerns.html", {"concerns": chunk}).encode())
        written = True
    if not written:
        output.write(format_html("<p>{}</p>", _("No concerns in this period.")).encode())
    output.write(foot.encode())
    progress.finish()
