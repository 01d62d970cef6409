"""Callbacks (回访): asking the person who raised a concern whether they are satisfied.

A callback closes a resolved concern or, when the person is not satisfied, reopens it with a new
due date. A call that reached nobody is an attempt (CallbackAttempt), not a callback: it changes no
status and counts in no rate. After FIELDWORK["CALLBACK_ATTEMPTS"] attempts on different days a
leader may close the concern as unreachable, a final state apart from `closed`. A public concern whose
person left no contact and never answered on the tracking page closes as `no_answer` by the daily run
(concerns_close_no_answer), another final state apart from `closed`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import permissions, rollups
from ..errors import DomainError
from ..models import CallbackAttempt, Concern, ConcernEvent, Feedback
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
        due_date=concern.callback_due,  # the deadline at this moment: the within-limit share reads it
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
            callback_from=None,
            callback_due=None,
            due_date=new_due_date,
        )
    else:
        concern_services._write(
            concern,
            by=by,
            version=version,
            now=now,
            status=Concern.Status.CLOSED,
            closed_at=now,
            callback_from=None,
            callback_due=None,
        )
    note = callback_note(satisfaction, comment)
    concern_services._event(concern, kind=ConcernEvent.Kind.CALLBACK, by=by, now=now, note=note)
    if dissatisfied:
        concern_services._event(
            concern,
            kind=ConcernEvent.Kind.REOPENED,
            by=by,
            now=now,
            old=old,
            data={"new_due": new_due_date.isoformat()},
        )
    else:
        concern_services._event(concern, kind=ConcernEvent.Kind.CLOSED, by=by, now=now, old=old, note=closed_note())
    return feedback


def callback_note(satisfaction: str, comment: str = "") -> str:
    """The timeline note of a callback: how satisfied the person is, in the active language, and what they said."""
    label = str(Feedback.Satisfaction(satisfaction).label)
    comment = comment.strip()
    return _("%(label)s: %(comment)s") % {"label": label, "comment": comment} if comment else label


def closed_note() -> str:
    """The timeline note of a closing: the final state says the person was satisfied (已回访，群众满意),
    which a dissatisfied callback never is."""
    return _("Callback made: the person is satisfied.")


def reopened_note(due_date: datetime.date) -> str:
    """The timeline note of a reopening: the new due date."""
    return _("New due date: %(date)s") % {"date": due_date.isoformat()}


# --- attempts that reached nobody, and closing as unreachable ---------------------------------------


@transaction.atomic
def callback_attempt_record(
    *, concern: Concern, by: AbstractBaseUser, channel: str = Feedback.Channel.PHONE, note: str = ""
) -> CallbackAttempt:
    """Record a call that did not reach the person who raised a resolved concern.

    Who may record it is the callback's rule (permissions.ATTEMPT: anyone in scope but the owner).
    It is not a callback: the concern stays resolved and in the queue, and no rate counts it. It
    carries no version: attempts by two people at once are both true, and change nothing they
    could overwrite.
    """
    current = Concern.objects.select_for_update().get(pk=concern.pk)  # one at a time, on the row as it is
    for field_ in Concern._meta.concrete_fields:
        setattr(concern, field_.attname, getattr(current, field_.attname))
    permissions.concern_guard(concern=concern, user=by, action=permissions.ATTEMPT)
    if channel not in dict(CallbackAttempt._meta.get_field("channel").choices):
        raise DomainError(_("Choose how the call was made."))
    now = timezone.now()
    note = (note or "").strip()
    attempt = CallbackAttempt.objects.create(concern=concern, made_by=by, at=now, channel=channel, note=note)
    # Internal: the note may name people; the tracking page shows the status, not the calls.
    concern_services._event(
        concern, kind=ConcernEvent.Kind.CALLBACK_ATTEMPT, by=by, now=now, note=attempt_note(channel, note), public=False
    )
    return attempt


def attempt_days(concern: Concern) -> int:
    """On how many different days (in the configured time zone) calls reached nobody: two calls on one
    day count once, since a person out for the day is not unreachable."""
    return len({local_day(at) for at in concern.callback_attempts.values_list("at", flat=True)})


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def unreachable_refusal(*, concern: Concern, user, days: int | None = None) -> str | None:
    """Why the user may not close the concern as unreachable now (role, status, too few attempts), or
    None. The page offers the form only when this is None; the service raises it. `days` is
    attempt_days(concern) when the caller has it already."""
    refusal = permissions.concern_refusal(concern=concern, user=user, action=permissions.UNREACHABLE)
    if refusal:
        return refusal
    needed = settings.FIELDWORK["CALLBACK_ATTEMPTS"]
    days = attempt_days(concern) if days is None else days
    if days < needed:
        return ngettext(
            "A concern is closed as unreachable only after calls on %(needed)s different day that reached "
            "nobody; so far there are calls on %(days)s.",
            "A concern is closed as unreachable only after calls on %(needed)s different days that reached "
            "nobody; so far there are calls on %(days)s.",
            needed,
        ) % {"needed": needed, "days": days}
    return None


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_close_unreachable(*, concern: Concern, by: AbstractBaseUser, version: int, reason: str) -> Concern:
    """A leader closes a resolved concern whose person could not be reached, saying why.

    Only after FIELDWORK["CALLBACK_ATTEMPTS"] attempts on different days. A final state apart from
    `closed`: the resolution and on-time rates count it as resolved (the work was done), the
    satisfaction rate never. It leaves the callback queue and its ladder (callback_due cleared).
    """
    concern_services._lock(concern, version=version)
    refusal = unreachable_refusal(concern=concern, user=by)
    if refusal:
        raise DomainError(refusal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for closing the concern as unreachable."))
    now = timezone.now()
    old = concern.status
    concern_services._write(
        concern,
        by=by,
        version=version,
        now=now,
        status=Concern.Status.UNREACHABLE,
        closed_at=now,
        callback_from=None,
        callback_due=None,
    )
    concern_services._event(concern, kind=ConcernEvent.Kind.UNREACHABLE, by=by, now=now, old=old, note=reason)
    return concern


def attempt_note(channel: str, note: str = "") -> str:
    """The timeline note of an attempt: how the call was made, and what the caller noted."""
    label = str(Feedback.Channel(channel).label)
    return _("%(label)s: %(comment)s") % {"label": label, "comment": note} if note else label


# --- public concerns whose person never answered ------------------------------------------------------

NO_ANSWER_CHUNK = 500


def no_answer_note(days: int) -> str:
    """The timeline note of a concern closed as no answer (public: the person reads it on the tracking page)."""
    return ngettext(
        "The person did not answer within %(days)s working day and left no contact.",
        "The person did not answer within %(days)s working days and left no contact.",
        days,
    ) % {"days": days}


def _no_answer_due(concern: Concern, *, today: datetime.date) -> bool:
    """Resolved through the public channel with no contact (nobody to call: callback_from None), and the
    person's whole window to answer on the tracking page (to callback_due) is over."""
    return (
        concern.status == Concern.Status.RESOLVED
        and concern.source == Concern.Source.PUBLIC
        and concern.callback_from is None
        and concern.callback_due is not None
        and concern.callback_due < today
    )


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_close_no_answer(
    *, concern: Concern, today: datetime.date, now: datetime.datetime | None = None
) -> Concern | None:
    """Close a public concern whose person never answered and left no contact as `no_answer`; None when it
    is not (or no longer) due: answered meanwhile, already closed by another run.

    Decided again under the concern's row lock, so two runs at once close it once, with one event. A final
    state apart from `closed`: the resolution and on-time rates count it as resolved (the work was done),
    the satisfaction rate never. The event has no actor and is public: the tracking page says it.
    """
    locked = Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)
    if not _no_answer_due(locked, today=today):
        return None
    now = now or timezone.now()
    old = locked.status
    concern_services._write(
        locked,
        by=None,
        version=locked.version,
        now=now,
        status=Concern.Status.NO_ANSWER,
        closed_at=now,
        callback_from=None,
        callback_due=None,
    )
    note = no_answer_note(concern_services.public_no_answer_days())
    concern_services._event(locked, kind=ConcernEvent.Kind.NO_ANSWER, by=None, now=now, old=old, note=note)
    return locked


def concerns_no_answer_due(*, today: datetime.date):
    """Public concerns due to close as no answer today, in the order of the index `concern_callback_due`."""
    return Concern.objects.filter(
        status=Concern.Status.RESOLVED,
        source=Concern.Source.PUBLIC,
        callback_from__isnull=True,
        callback_due__lt=today,
    ).order_by("callback_due", "id")


def concerns_close_no_answer(*, today: datetime.date, dry_run: bool = False) -> int:
    """The daily run (send_reminders): close every public concern due to close as no answer, a chunk of
    NO_ANSWER_CHUNK at a time, each in a transaction of its own. Returns how many this run closed (or
    would close): a rerun, or another worker's run at the same time, closes none twice."""
    closed = 0
    after: tuple[datetime.date, int] | None = None
    candidates = concerns_no_answer_due(today=today)
    while True:
        page = candidates
        if after is not None:
            page = page.filter(Q(callback_due__gt=after[0]) | Q(callback_due=after[0], pk__gt=after[1]))
        chunk = list(page.values_list("callback_due", "pk")[:NO_ANSWER_CHUNK])
        if not chunk:
            return closed
        for _due, pk in chunk:
            if dry_run or concern_close_no_answer(concern=Concern(pk=pk), today=today) is not None:
                closed += 1
        after = chunk[-1]
