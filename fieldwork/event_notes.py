"""The notes of a concern's timeline, said in the reader's language.

An event keeps its dates and names as data (ConcernEvent.data: ISO dates, a name) and only what a
person wrote in `note`; the timeline says them here, with the reader's date format (2026年12月15日,
15 Dec 2026) and punctuation. Events written before the data existed carry a formatted note
("2026-09-30 → 2026-10-15: reason"); `read` takes such a note apart, for the data migration and for any
row still in the old form (the demo generator writes those), so both read the same.
"""

from __future__ import annotations

import datetime
import re

from django.utils import formats, translation
from django.utils.translation import gettext as _

ISO = r"\d{4}-\d{2}-\d{2}"
_MOVED = re.compile(rf"^({ISO}) → ({ISO})(?:: (.*))?$", re.S)
_ASKED = re.compile(rf"^({ISO}): (.*)$", re.S)
_ACTION = re.compile(rf"^(.*) \(([^()]*), ({ISO})\)$", re.S)

# The kinds whose notes carry dates (services.concerns, services.extensions, services.actions, services.callbacks).
MOVED = ("due_changed", "extension_requested", "extension_approved")
DATED = (*MOVED, "extension_refused", "action_added", "reopened")


def _reopened_patterns() -> list[re.Pattern]:
    """ "New due date: <ISO date>" as it was written, in each language of the site."""
    from django.conf import settings

    patterns = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words = _("New due date: %(date)s") % {"date": "\x00"}
        patterns.append(re.compile("^" + re.escape(words).replace("\x00", f"({ISO})") + "$"))
    return patterns


def read(kind: str, note: str) -> tuple[dict, str] | None:
    """(data, what the person wrote) from an old formatted note of `kind`; None when it does not read."""
    note = note or ""
    if kind in MOVED and (match := _MOVED.match(note)):
        return {"old_due": match.group(1), "new_due": match.group(2)}, match.group(3) or ""
    if kind == "extension_refused" and (match := _ASKED.match(note)):
        return {"new_due": match.group(1)}, match.group(2)
    if kind == "action_added" and (match := _ACTION.match(note)):
        return {"owner": match.group(2), "due": match.group(3)}, match.group(1)
    if kind == "reopened":
        for pattern in _reopened_patterns():
            if match := pattern.match(note):
                return {"new_due": match.group(1)}, ""
    return None


def _day(value: str) -> str:
    try:
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _with_note(text: str, note: str) -> str:
    return _("%(text)s: %(note)s") % {"text": text, "note": note} if note else text


def display(kind: str, data: dict | None, note: str) -> str:
    """The note of an event as its reader reads it, in the active language."""
    if not data and kind in DATED:
        found = read(kind, note)
        if found is not None:
            data, note = found
    data = data or {}
    if kind in MOVED and "new_due" in data:
        text = _("From %(old)s to %(new)s") % {"old": _day(data.get("old_due")), "new": _day(data["new_due"])}
        return _with_note(text, note)
    if kind == "extension_refused" and "new_due" in data:
        return _with_note(_("Asked for %(date)s") % {"date": _day(data["new_due"])}, note)
    if kind == "action_added" and "due" in data:
        return _("%(description)s (%(owner)s, by %(date)s)") % {
            "description": note,
            "owner": data.get("owner", ""),
            "date": _day(data["due"]),
        }
    if kind == "reopened" and "new_due" in data:
        return _with_note(_("New due date: %(date)s") % {"date": _day(data["new_due"])}, note)
    return note


def new_due_date(kind: str, data: dict | None, note: str) -> datetime.date | None:
    """The due date an event set (a granted extension's, for the public timeline), or None."""
    if not data:
        found = read(kind, note)
        data = found[0] if found else {}
    try:
        return datetime.date.fromisoformat(data.get("new_due", ""))
    except (TypeError, ValueError):
        return None
