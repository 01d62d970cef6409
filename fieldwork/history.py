"""What changed, who changed it and when: the history records of visits, concerns and actions, as read on
their detail pages.

django-simple-history writes the records (services write one per change, see services.concerns._write and
services.visits._one_history_record); this module turns consecutive records of one object into the list of
fields that changed, with values as a person reads them. It runs a fixed number of queries per page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .display import display_name
from .models import Concern, FollowUpAction, Principle, Visit

User = get_user_model()
HISTORY_ROWS = 50  # the most recent records shown on a page
HIDDEN = {"id", "created_at", "created_by", "reference", "concern"}  # never change, or shown elsewhere
# a visit's many-to-many fields: the rows kept with each of its records, their column, and what it names
M2M = {
    "cadres": ("historicalvisit_cadres_set", "user_id", User),
    "principles": ("historicalvisit_principles_set", "principle_id", Principle),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime.datetime
    who: object  # a user, or None for the system (the chasing ladder, the public channel)
    subject: str  # what the record is of: the concern itself, or one of its actions
    created: bool
    changes: list[Change] = field(default_factory=list)
    unknown_before: bool = False


def visit_history(visit: Visit) -> list[Entry]:
    """The visit's changes, newest first."""
    records = Visit.history.filter(id=visit.pk).prefetch_related(*(accessor for accessor, _, _ in M2M.values()))
    return _newest_first(_entries(records, subject=lambda record: ""))


def concern_history(concern: Concern) -> list[Entry]:
    """The concern's own changes and its actions', newest first."""
    own = _entries(Concern.history.filter(id=concern.pk), subject=lambda record: "")
    actions = _entries(
        FollowUpAction.history.filter(concern_id=concern.pk),
        subject=lambda record: _("Action: %(action)s") % {"action": record.description[:60]},
    )
    return _newest_first(own + actions)


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:HISTORY_ROWS]


def _entries(queryset, *, subject) -> list[Entry]:
    """Each of the latest records against the one before it of the same object (one query).

    One record more than is shown is read, as what the oldest shown is compared with; when the
    window cuts the history short, an object's oldest record read is only a baseline.
    """
    records = list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_ROWS + 1])
    records.reverse()
    if not records:
        return []
    cut = len(records) > HISTORY_ROWS
    fields = [f for f in records[0].__class__.tracked_fields if f.name not in HIDDEN]
    names = _Names(records, fields)
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if before is None and cut and record.history_type != "+":
            continue  # its earlier records lie outside the window: a baseline only
        entry = Entry(when=record.history_date, who=record.history_user, subject=subject(record), created=False)
        if record.history_type == "+":
            entry.created = True
        elif before is not None:
            entry.changes = [
                Change(
                    str(f.verbose_name),
                    names.show(f, getattr(before, f.attname)),
                    names.show(f, getattr(record, f.attname)),
                )
                for f in fields
                if getattr(before, f.attname) != getattr(record, f.attname)
            ]
            entry.changes += [
                Change(
                    str(Visit._meta.get_field(name).verbose_name), names.many(name, before), names.many(name, record)
                )
                for name in M2M
                if hasattr(record, M2M[name][0]) and names.ids(name, before) != names.ids(name, record)
            ]
            if not entry.changes:
                continue
        else:
            # the first record of an object loaded before history was kept (the demo's bulk load, an
            # import): who changed it and when are known, the values before are not
            entry.unknown_before = True
        entries.append(entry)
    return entries


class _Names:
    """The names behind the ids in a set of records, read in one query per kind of object."""

    def __init__(self, records: list, fields: list[models.Field]):
        wanted: dict[type, set] = {}
        for f in fields:
            if f.is_relation:  # simple-history's copies of foreign keys point at the original models
                wanted.setdefault(f.related_model, set()).update(getattr(r, f.attname) for r in records)
        for name, (accessor, _column, target) in M2M.items():
            if hasattr(records[0], accessor):
                for record in records:
                    wanted.setdefault(target, set()).update(self.ids(name, record))
        self.objects = {
            model: model._default_manager.in_bulk([pk for pk in ids if pk is not None]) for model, ids in wanted.items()
        }

    def show(self, f: models.Field, value) -> str:
        if value is None or value == "":
            return "—"
        if f.is_relation:
            obj = self.objects.get(f.related_model, {}).get(value)
            return f"#{value}" if obj is None else _label(obj)
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if isinstance(value, datetime.datetime):
            return formats.date_format(value, "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return str(value)

    @staticmethod
    def ids(name: str, record) -> set:
        accessor, column, _target = M2M[name]
        return {getattr(row, column) for row in getattr(record, accessor).all()}

    def many(self, name: str, record) -> str:
        objects = self.objects.get(M2M[name][2], {})
        return ", ".join(_label(objects[pk]) for pk in sorted(self.ids(name, record)) if pk in objects) or "—"


def _label(obj) -> str:
    return display_name(obj) if isinstance(obj, User) else str(obj)
