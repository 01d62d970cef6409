"""Pairings (结对) and the help given on them (帮扶记录): a leader pairs a cadre with a worker, the cadre
(or a leader) records help given, a leader ends the pairing with a reason. Nothing is deleted."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import scope
from ..errors import DomainError
from ..models import HelpGiven, Pairing, Person


def pairing_visible(*, pairing: Pairing, user) -> bool:
    """Who sees a pairing, its reason and the worker's contact: the paired cadre and the leaders of the
    unit (or above), the same rule as a concern's contact (permissions.contact_visible_for, the cadre
    standing where a concern's owner does)."""
    from ..permissions import contact_visible_for

    return contact_visible_for(user=user, anonymous=False, owner_id=pairing.cadre_id, unit_path=pairing.unit.path)


def pairing_start(
    *,
    by,
    person: Person,
    cadre,
    reason: str,
    reason_text: str = "",
    starts_on: datetime.date,
    review_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Pairing:
    if not scope.is_leader_of(by, person.unit):
        raise DomainError(_("Only a leader of the worker's unit can pair a cadre with them."))
    if not scope.is_member_of(cadre, person.unit):
        raise DomainError(_("The cadre must work in the worker's unit or a unit above it."))
    if reason not in Pairing.Reason.values:
        raise DomainError(_("Choose a reason."))
    return Pairing.objects.create(
        person=person,
        cadre=cadre,
        unit=person.unit,
        reason=reason,
        reason_text=reason_text.strip(),
        starts_on=starts_on,
        review_on=review_on,
        ends_on=ends_on,
        created_by=by,
    )


def pairing_end(*, by, pairing: Pairing, reason: str) -> Pairing:
    if not scope.is_leader_of(by, pairing.unit):
        raise DomainError(_("Only a leader of the unit can end a pairing."))
    if pairing.ended_at is not None:
        raise DomainError(_("This pairing has already ended."))
    if not reason.strip():
        raise DomainError(_("Say why the pairing ends."))
    with transaction.atomic():
        pairing.ended_at = timezone.now()
        pairing.end_reason = reason.strip()
        pairing.save(update_fields=["ended_at", "end_reason"])
    return pairing


def help_add(*, by, pairing: Pairing, what: str, given_on: datetime.date, value: Decimal | None = None) -> HelpGiven:
    if not pairing_visible(pairing=pairing, user=by):
        raise DomainError(_("Only the paired cadre or a leader of the unit can record help given."))
    if pairing.ended_at is not None:
        raise DomainError(_("This pairing has already ended."))
    return HelpGiven.objects.create(pairing=pairing, what=what.strip(), given_on=given_on, value=value, created_by=by)


def persons_met_set(*, visit, persons) -> None:
    """The workers met on a visit are these (links added and removed; the workers stay)."""
    from ..models import PersonVisit

    wanted = {person.pk for person in persons}
    have = set(PersonVisit.objects.filter(visit=visit).values_list("person_id", flat=True))
    PersonVisit.objects.filter(visit=visit, person_id__in=have - wanted).delete()
    PersonVisit.objects.bulk_create([PersonVisit(visit=visit, person_id=pk) for pk in sorted(wanted - have)])
