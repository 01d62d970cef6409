"""Callbacks (回访): asking the person who raised a concern whether they are satisfied.

A callback closes a resolved concern or, when the person is not satisfied, reopens it with a new
due date. Later: attempts that reached nobody, deadlines for the callback, and its outcomes.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, rollups
from ..errors import DomainError
from ..models import Concern, ConcernEvent, Feedback
from . import concerns as concern_services


@rollups.in_step  # one transaction; the rollups read what changed at its end
def feedback_record(
    *,
    concern: Concern,
    by: AbstractBaseUser | None,
    version: int,
    satisfaction: str,
    channel: str,
    comment: str = "",
    date: datetime.date | None = None,
    new_due_date: datetime.date | None = None,
) -> Feedback:
    """Record a callback (回访) on a resolved concern.

    `by` is the person who recorded it, never the concern's owner (the one who did the work does
    not grade it), or None when the person who raised the concern answers themself through the
    self-service channel. Satisfied or basically satisfied closes the concern; dissatisfied sends it
    back to in progress with a new due date (by default today plus the priority's days) and counts
    a reopening (有过必改).
    """
    concern_services._lock(concern, version=version)
    if by is None:
        if channel != Feedback.Channel.SELF_SERVICE:
            raise DomainError(_("A callback without a recorder must come from the person themself."))
    else:
        if channel == Feedback.Channel.SELF_SERVICE:
            raise DomainError(_("Self-service callbacks are given by the person themself, not recorded."))
        permissions.concern_guard(concern=concern, user=by, action=permissions.CALLBACK)
    if concern.status != Concern.Status.RESOLVED:
        raise DomainError(permissions.concern_status_refusal(concern=concern, action=permissions.CALLBACK))
    if satisfaction not in Feedback.Satisfaction.values:
        raise DomainError(_("Choose how satisfied the person is."))
    if channel not in Feedback.Channel.values:
        raise DomainError(_("Choose how the callback was made."))
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise DomainError(_("A callback cannot be dated in the future."))
    dissatisfied = satisfaction == Feedback.Satisfaction.DISSATISFIED
    if dissatisfied:
        new_due_date = new_due_date or concern_services.default_due_date(priority=concern.priority, raised_on=today)
        if new_due_date < today:
            raise DomainError(_("The new due date cannot be in the past."))
    now = timezone.now()
    old = concern.status
    comment = comment.strip()
    feedback = Feedback.objects.create(
        concern=concern,
        date=date,
        channel=channel,
        satisfaction=satisfaction,
        comment=comment,
        recorded_by=by,
        created_at=now,
    )
    if dissatisfied:
        concern_services._write(
            concern,
            by=by,
            version=version,
            now=now,
            status=Concern.Status.IN_PROGRESS,
            reopen_count=concern.reopen_count + 1,
            resolved_at=None,
            callback_due=None,
            due_date=new_due_date,
        )
    else:
        concern_services._write(
            concern, by=by, version=version, now=now, status=Concern.Status.CLOSED, closed_at=now, callback_due=None
        )
    note = callback_note(satisfaction, comment)
    concern_services._event(concern, kind=ConcernEvent.Kind.CALLBACK, by=by, now=now, note=note)
    if dissatisfied:
        note = reopened_note(new_due_date)
        concern_services._event(concern, kind=ConcernEvent.Kind.REOPENED, by=by, now=now, old=old, note=note)
    else:
        concern_services._event(concern, kind=ConcernEvent.Kind.CLOSED, by=by, now=now, old=old, note=closed_note())
    return feedback


def callback_note(satisfaction: str, comment: str = "") -> str:
    """The timeline note of a callback: how satisfied the person is, in the active language, and what they said."""
    label = str(Feedback.Satisfaction(satisfaction).label)
    comment = comment.strip()
    return f"{label}: {comment}" if comment else label


def closed_note() -> str:
    """The timeline note of a closing: the final state says the person was satisfied (已回访，群众满意),
    which a dissatisfied callback never is."""
    return _("Callback made: the person is satisfied.")


def reopened_note(due_date: datetime.date) -> str:
    """The timeline note of a reopening: the new due date."""
    return _("New due date: %(date)s") % {"date": due_date.isoformat()}
