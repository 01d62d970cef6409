"""Every write that changes state. Keyword-only, typed, atomic: guard, write, record the event.

Views call these and never set a concern's status themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scope
from .models import Category, Concern, ConcernEvent, Principle, ReferenceCounter, Unit, Visit


class DomainError(Exception):
    """A refused change; its message is shown to the user as it is."""


def default_due_date(*, priority: str, raised_on: datetime.date) -> datetime.date:
    """The due date a concern gets from its priority (settings.FIELDWORK["DUE_DAYS"])."""
    days = settings.FIELDWORK["DUE_DAYS"][priority]
    return raised_on + datetime.timedelta(days=days)


def reference_next(*, year: int) -> str:
    """The next concern reference of a year, FW-2026-000123; unique under concurrent saves.

    The counter row is locked by the UPDATE until the caller's transaction ends, so two
    concurrent saves are served one after the other.
    """
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return f"FW-{year}-{number:06d}"


@dataclass
class ConcernInput:
    """What a person types about one concern, before it becomes a Concern."""

    title: str
    category: Category
    description: str = ""
    priority: str = Concern.Priority.NORMAL
    raised_by_name: str = ""
    raised_by_contact: str = ""
    anonymous: bool = False
    principles: Sequence[Principle] = field(default_factory=list)


def _require_scope(user, unit: Unit) -> None:
    if not scope.is_member_of(user, unit):
        raise DomainError(_("You can only record work in your own units."))


def concern_create(
    *,
    unit: Unit,
    data: ConcernInput,
    by: AbstractBaseUser | None,
    source: str = Concern.Source.OTHER,
    visit: Visit | None = None,
    owner: AbstractBaseUser | None = None,
    raised_at: datetime.datetime | None = None,
) -> Concern:
    """Raise a concern; its owner defaults to the person who logged it."""
    raised_at = raised_at or timezone.now()
    with transaction.atomic():
        concern = Concern.objects.create(
            reference=reference_next(year=timezone.localtime(raised_at).year),
            unit=unit,
            visit=visit,
            source=source,
            raised_by_name="" if data.anonymous else data.raised_by_name.strip(),
            raised_by_contact="" if data.anonymous else data.raised_by_contact.strip(),
            anonymous=data.anonymous,
            category=data.category,
            title=data.title.strip(),
            description=data.description.strip(),
            priority=data.priority,
            due_date=default_due_date(priority=data.priority, raised_on=timezone.localtime(raised_at).date()),
            owner=owner,
            raised_at=raised_at,
            created_by=by,
        )
        concern.principles.set(data.principles)
        ConcernEvent.objects.create(
            concern=concern,
            kind=ConcernEvent.Kind.RAISED,
            actor=by,
            to_status=concern.status,
            created_at=raised_at,
        )
    return concern


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
    _require_scope(by, unit)
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be dated in the future."))
    if people_reached < 1:
        raise DomainError(_("At least one person must have been reached."))
    with transaction.atomic():
        visit = Visit.objects.create(
            unit=unit,
            date=date,
            form=form,
            location=location.strip(),
            people_reached=people_reached,
            summary=summary.strip(),
            author=by,
        )
        visit.cadres.set({by, *cadres})
        visit.principles.set(principles)
        for data in concerns:
            concern_create(unit=unit, data=data, by=by, source=Concern.Source.VISIT, visit=visit, owner=by)
    return visit


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
    if not visit_can_edit(user=by, visit=visit):
        raise DomainError(_("Only the author or a leader of the unit can edit this visit."))
    _require_scope(by, unit)
    if date > timezone.localdate():
        raise DomainError(_("A visit cannot be dated in the future."))
    with transaction.atomic():
        visit.unit, visit.date, visit.form = unit, date, form
        visit.location, visit.summary, visit.people_reached = (
            location.strip(),
            summary.strip(),
            people_reached,
        )
        visit.save()
        visit.cadres.set({visit.author, *cadres})
        visit.principles.set(principles)
        for data in concerns:
            concern_create(unit=unit, data=data, by=by, source=Concern.Source.VISIT, visit=visit, owner=by)
    return visit


def visit_can_edit(*, user, visit: Visit) -> bool:
    return visit.author_id == user.pk or scope.is_leader_of(user, visit.unit)
