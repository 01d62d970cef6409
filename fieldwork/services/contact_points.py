"""Contact points (联系点): a leader assigning a cadre to a grassroots unit for a term, and ending it.

Nothing here deletes: an ended contact point keeps its term, who ended it and why, and its history.
When a contact point counts as visited is fieldwork/contact_points.py's rule; these services store
its dates through it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import contact_points, pickers, rollups, scope
from ..errors import DomainError
from ..models import ContactPoint, Unit


def assign_refusal(
    *, by: AbstractBaseUser, cadre: AbstractBaseUser, unit: Unit, start: datetime.date, end: datetime.date | None
) -> str | None:
    """Why this assignment is refused (the message to show), or None: the one place of these rules,
    asked by the service and by the admin's form before it saves."""
    if not scope.is_leader_of(by, unit):
        return _("Only a leader of this unit can assign or end its contact points.")
    if not pickers.colleagues(by, {}).filter(pk=cadre.pk).exists():
        return _("Choose a cadre who works in one of your units.")
    if end is not None and end < start:
        return _("A term cannot end before it starts.")
    overlapping = ContactPoint.objects.filter(cadre=cadre, unit=unit).filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        return _("This cadre already answers for this unit in that term.")
    return None


def end_refusal(*, point: ContactPoint, by: AbstractBaseUser, reason: str, end: datetime.date) -> str | None:
    """Why ending this contact point is refused, or None (asked by the service and the admin's form)."""
    if not scope.is_leader_of(by, point.unit):
        return _("Only a leader of this unit can assign or end its contact points.")
    if not reason.strip():
        return _("Say why this contact point ends.")
    if point.ended_by_id is not None:
        return _("This contact point has already ended.")
    if end < point.start:
        return _("A term cannot end before it starts.")
    return None


@transaction.atomic
def contact_point_assign(
    *,
    by: AbstractBaseUser,
    cadre: AbstractBaseUser,
    unit: Unit,
    start: datetime.date,
    end: datetime.date | None = None,
    interval_days: int | None = None,
) -> ContactPoint:
    """Make `cadre` answer for `unit` from `start` (to `end`, if known), visiting it at least every
    `interval_days` (default: the setting FIELDWORK_CONTACT_INTERVAL_DAYS)."""
    refusal = assign_refusal(by=by, cadre=cadre, unit=unit, start=start, end=end)
    if refusal:
        raise DomainError(refusal)
    point = ContactPoint(cadre=cadre, unit=unit, start=start, end=end, assigned_by=by)
    if interval_days is not None:
        point.interval_days = interval_days
    point.due_date = contact_points.due_date_of(start=start, last_visit=None, interval_days=point.interval_days)
    point._history_user = by
    point.save()
    contact_points.refresh(ContactPoint.objects.filter(pk=point.pk))  # visits made since the start count
    rollups.stamp_renew()  # the dashboards show the figure: a cached one is now stale
    point.refresh_from_db()
    return point


@transaction.atomic
def contact_point_end(
    *, point: ContactPoint, by: AbstractBaseUser, reason: str, end: datetime.date | None = None
) -> ContactPoint:
    """End a contact point's term (today, unless another day is given) with a reason; never deleted."""
    point = ContactPoint.objects.select_for_update().get(pk=point.pk)
    end = end or timezone.localdate()
    refusal = end_refusal(point=point, by=by, reason=reason, end=end)
    if refusal:
        raise DomainError(refusal)
    point.end, point.end_reason, point.ended_by = end, reason.strip(), by
    point._history_user = by
    point.save()
    contact_points.refresh(ContactPoint.objects.filter(pk=point.pk))  # visits after the end no longer count
    rollups.stamp_renew()
    point.refresh_from_db()
    return point
