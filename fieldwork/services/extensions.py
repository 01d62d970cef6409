"""Extension requests (延期申请): the owner asks for a later due date, a leader decides.

Before the due date the owner may ask for a later one, with a reason; a leader of the unit (not
the person who asked) approves or refuses. An approval moves the due date: a new version of the
concern with its one versioned event. Both decisions are public events, so the person who raised
the concern sees them on the public timeline (the kind and the new date, never a name or note).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, rollups
from ..errors import DomainError
from ..models import Concern, ConcernEvent, ExtensionRequest
from . import concerns as concern_services


@rollups.in_step  # one transaction; the rollups read what changed at its end
def extension_request(
    *, concern: Concern, by: AbstractBaseUser, requested_due_date: datetime.date, reason: str
) -> ExtensionRequest:
    """The owner asks, before the due date, to move it to a later date, saying why.

    Asking changes nothing on the concern itself (no new version); the row lock serialises two
    requests sent at once, and the second finds the first pending.
    """
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    for field_ in Concern._meta.concrete_fields:
        setattr(concern, field_.attname, getattr(locked, field_.attname))
    refusal = permissions.extension_request_refusal(concern=concern, user=by)
    if refusal:
        raise DomainError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why more time is needed."))
    if requested_due_date <= concern.due_date:
        raise DomainError(_("Ask for a date after the current due date (%(date)s).") % {"date": concern.due_date})
    now = timezone.now()
    request = ExtensionRequest.objects.create(
        concern=concern,
        requested_by=by,
        due_date_before=concern.due_date,
        requested_due_date=requested_due_date,
        reason=reason,
        created_at=now,
    )
    concern_services._event(
        concern,
        kind=ConcernEvent.Kind.EXTENSION_REQUESTED,
        by=by,
        now=now,
        note=reason,
        data={"old_due": concern.due_date.isoformat(), "new_due": requested_due_date.isoformat()},
        public=False,
    )
    return request


@rollups.in_step
def extension_decide(
    *, request: ExtensionRequest, by: AbstractBaseUser, approve: bool, note: str = "", version: int
) -> ExtensionRequest:
    """A leader approves or refuses a pending request; a refusal says why.

    Approval moves the due date (a new version, event EXTENSION_APPROVED whose note starts
    "<old date> → <new date>", which the public timeline reads for the new date); refusal writes
    EXTENSION_REFUSED and leaves the concern as it is. Deciding twice is refused.
    """
    locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ExtensionRequest.Status.PENDING:
        raise DomainError(_("This request was already decided: %(status)s.") % {"status": locked.get_status_display()})
    concern = request.concern
    concern_services._lock(concern, version=version)
    if not permissions.extension_may_decide(request=request, user=by):
        if request.requested_by_id == by.pk:
            raise DomainError(_("You asked for this extension: another leader of the unit decides on it."))
        raise DomainError(_("Only a leader of the concern's unit decides on an extension."))
    note = (note or "").strip()
    now = timezone.now()
    if approve:
        if not concern.is_active:
            raise DomainError(
                _("Only an open or in-progress concern can be extended; this one is “%(status)s”.")
                % {"status": concern.get_status_display()}
            )
        if request.requested_due_date < timezone.localdate():
            raise DomainError(_("The requested date has passed: refuse the request, or change the due date."))
        old_due = concern.due_date
        concern_services._write(
            concern,
            by=by,
            version=version,
            now=now,
            due_date=request.requested_due_date,
            extensions_granted=concern.extensions_granted + 1,
        )
        concern_services._event(
            concern,
            kind=ConcernEvent.Kind.EXTENSION_APPROVED,
            by=by,
            now=now,
            note=f"{request.reason} ({note})" if note else request.reason,
            data={"old_due": old_due.isoformat(), "new_due": request.requested_due_date.isoformat()},
        )
        status = ExtensionRequest.Status.APPROVED
    else:
        if not note:
            raise DomainError(_("Say why the extension is refused."))
        concern_services._event(
            concern,
            kind=ConcernEvent.Kind.EXTENSION_REFUSED,
            by=by,
            now=now,
            note=note,
            data={"new_due": request.requested_due_date.isoformat()},
        )
        status = ExtensionRequest.Status.REFUSED
    ExtensionRequest.objects.filter(pk=request.pk).update(
        status=status, decided_by=by, decided_at=now, decision_note=note
    )
    request.status, request.decided_by, request.decided_at, request.decision_note = status, by, now, note
    return request


# The public timeline reads the new due date of a granted extension from its data (public.public_new_due_date).
# The notes below are the old form, with ISO dates, that events had before ConcernEvent.data; the demo
# generator still writes them, and event_notes.read takes them apart.


def extension_requested_note(due_date: datetime.date, requested_due_date: datetime.date, reason: str) -> str:
    """The timeline note of a request: "<due date> → <date asked for>: <reason>"."""
    return f"{due_date.isoformat()} → {requested_due_date.isoformat()}: {reason}"


def extension_approved_note(
    due_date: datetime.date, requested_due_date: datetime.date, reason: str, note: str = ""
) -> str:
    """The timeline note of an approval: the request's note, then the leader's in brackets."""
    text = extension_requested_note(due_date, requested_due_date, reason)
    return f"{text} ({note})" if note else text


def extension_refused_note(requested_due_date: datetime.date, note: str) -> str:
    """The timeline note of a refusal: the date asked for and why it is refused."""
    return f"{requested_due_date.isoformat()}: {note}"
