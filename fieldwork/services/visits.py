"""Visits (走访): logging one with the concerns raised on it, and editing it.

A visit and its concerns are saved all or nothing; each visit save writes one history record.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, rollups
from ..errors import DomainError
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
) -> Visit:
    """Edit a visit (its author or a leader of its unit); new concerns may be added, none removed."""
    if not permissions.visit_can_edit(user=by, visit=visit):
        raise DomainError(_("Only the author or a leader of the unit can edit this visit."))
    permissions.unit_guard(user=by, unit=unit)
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be dated in the future."))
    with transaction.atomic():
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
