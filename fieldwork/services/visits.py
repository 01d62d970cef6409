"""Visits (走访): logging one with the concerns raised on it, and editing it.

A visit and its concerns are saved all or nothing; each visit save writes one history record.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import permissions, rollups
from ..display import actor_name
from ..errors import DomainError, VisitConflict
from ..models import VISIT_HISTORY, Concern, Principle, Unit, Visit
from . import concerns as concern_services
from .concerns import ConcernInput


@rollups.in_step
def visit_record(
    *,
    by: AbstractBaseUser,
    unit: Unit,
    date: datetime.date,
    form: str,
    people_reached: int,
    location: str = "",
    summary: str = "",
    cadres: Iterable[AbstractBaseUser] = (),
    principles: Iterable[Principle] = (),
    concerns: Sequence[ConcernInput] = (),
) -> Visit:
    """Log a grassroots visit with the concerns raised on it, all or nothing."""
    permissions.unit_guard(user=by, unit=unit)
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be dated in the future."))
    if people_reached < 1:
        raise DomainError(_("At least one person must have been reached."))
    with transaction.atomic():
        visit = Visit(
            unit=unit,
            date=date,
            form=form,
            location=location.strip(),
            people_reached=people_reached,
            summary=summary.strip(),
            author=by,
        )
        with _one_history_record(visit, by=by, created=True):
            visit.save()
            visit.cadres.set({by, *cadres})
            visit.principles.set(principles)
        for data in concerns:
            concern_services.concern_create(
                unit=unit, data=data, by=by, source=Concern.Source.VISIT, visit=visit, owner=by
            )
    return visit


@contextlib.contextmanager
def _one_history_record(visit: Visit, *, by, created: bool):
    """One history record for a visit's save and its cadres and principles, written once they are all set."""
    visit.skip_history_when_saving = True
    try:
        yield
    finally:
        del visit.skip_history_when_saving
    # reached only when the block succeeded: a failed save leaves no record
    visit._history_user = by
    VISIT_HISTORY.create_historical_record(visit, "+" if created else "~")


@rollups.in_step
def visit_update(
    *,
    visit: Visit,
    by: AbstractBaseUser,
    unit: Unit,
    date: datetime.date,
    form: str,
    people_reached: int,
    location: str = "",
    summary: str = "",
    cadres: Iterable[AbstractBaseUser] = (),
    principles: Iterable[Principle] = (),
    concerns: Sequence[ConcernInput] = (),
    version: int,
) -> Visit:
    """Edit a visit (its author or a leader of its unit); new concerns may be added, none removed.

    `version` is the one the person's form was opened on: UPDATE ... WHERE version = <seen> claims
    the next one, so of two people editing the same version the second is refused (VisitConflict,
    saying who changed what meanwhile) instead of silently overwriting the first.
    """
    if not permissions.visit_can_edit(user=by, visit=visit):
        raise DomainError(_("Only the author or a leader of the unit can edit this visit."))
    permissions.unit_guard(user=by, unit=unit)
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be dated in the future."))
    with transaction.atomic():
        if Visit.objects.filter(pk=visit.pk, version=version).update(version=F("version") + 1) != 1:
            current = Visit.objects.get(pk=visit.pk)
            raise VisitConflict(visit_changes_since(visit=current, version=version), version=current.version)
        visit.version = version + 1
        visit.unit, visit.date, visit.form = unit, date, form
        visit.location, visit.summary, visit.people_reached = (
            location.strip(),
            summary.strip(),
            people_reached,
        )
        with _one_history_record(visit, by=by, created=False):
            visit.save()
            visit.cadres.set({visit.author, *cadres})
            visit.principles.set(principles)
        for data in concerns:
            concern_services.concern_create(
                unit=unit, data=data, by=by, source=Concern.Source.VISIT, visit=visit, owner=by
            )
    return visit


# Fields a person does not edit: left out of what the conflict message lists.
_UNLISTED = frozenset({"version", "updated_at", "created_at", "author"})


def visit_changes_since(*, visit: Visit, version: int) -> str:
    """The conflict message for an edit form opened at `version`: who changed the visit since, when,
    and which of its fields (from its history, where each record keeps the version it made)."""
    records = list(visit.history.filter(version__gte=version).select_related("history_user").order_by("history_date"))
    base = next((record for record in records if record.version == version), None)
    later = [record for record in records if record.version > version]
    fields: list[str] = []
    if base is not None and later:
        delta = later[-1].diff_against(base)
        fields = [
            str(capfirst(Visit._meta.get_field(name).verbose_name))
            for name in delta.changed_fields
            if name not in _UNLISTED
        ]
    names = list(dict.fromkeys(actor_name(record.history_user) for record in later)) or [_("someone else")]
    when = date_format(timezone.localtime(later[-1].history_date), "DATETIME_FORMAT") if later else ""
    return _(
        "%(who)s changed this visit after you opened it (%(when)s: %(fields)s). Nothing you entered is "
        "saved yet: the form keeps what you typed; check the visit as it is now and save again to keep yours."
    ) % {"who": ", ".join(names), "when": when, "fields": ", ".join(fields) or _("its details")}
