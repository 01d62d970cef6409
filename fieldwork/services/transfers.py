"""Transfer (转办): a leader hands a concern to another unit, which answers for it from then on.

A versioned change of the concern like any other (services.concerns: lock, guard, write, event): the
caller names the version they saw and a stale one is refused. The concern's follow-up actions go along
(they carry their concern's unit); an owner who does not work in the new unit gives the concern up, for
the new unit's leaders to assign. The rollups count the concern, its callbacks and its supervision in
the new unit's figures and no longer in the old one's (rollups.upkeep.concern_moved).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, rollups, scope
from ..errors import DomainError
from ..models import Concern, ConcernEvent, FollowUpAction, Photo, Unit
from . import concerns as concern_services


def transfer_refusal(*, concern: Concern, by: AbstractBaseUser, unit: Unit | None) -> str | None:
    """Why the concern may not go to `unit`, or None: the form shows it beside the field."""
    if unit is None or not unit.active or not scope.is_member_of(by, unit):
        return _("You can only transfer a concern to one of your own units.")
    if unit.pk == concern.unit_id:
        return _("The concern is already in this unit.")
    return None


@rollups.in_step  # one transaction; the rollups of both units are refreshed at its end
def concern_transfer(*, concern: Concern, by: AbstractBaseUser, version: int, unit: Unit, reason: str) -> Concern:
    """A leader of the concern's unit moves it to another unit of their scope, saying why."""
    concern_services._lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.TRANSFER)
    refusal = transfer_refusal(concern=concern, by=by, unit=unit)
    if refusal:
        raise DomainError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the transfer."))
    old_unit = Unit.objects.get(pk=concern.unit_id)
    changes: dict = {"unit": unit}
    if concern.owner_id is not None and not scope.is_member_of(concern.owner, unit):
        changes["owner"] = None
    rollups.concern_moved(concern.pk, from_unit_id=old_unit.pk)
    now = timezone.now()
    concern_services._write(concern, by=by, version=version, now=now, **changes)
    FollowUpAction.objects.filter(concern=concern).update(unit=unit)
    Photo.objects.filter(concern=concern).update(unit=unit)  # its photos (and its actions') are scoped there too
    text = _("%(old)s → %(new)s") % {"old": old_unit.name, "new": unit.name}
    concern_services._event(concern, kind=ConcernEvent.Kind.TRANSFERRED, by=by, now=now, note=f"{text}: {reason}")
    return concern
