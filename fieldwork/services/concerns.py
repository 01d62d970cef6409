"""The concern lifecycle: raising a concern, its transitions, and the versioned write they share.

open → in_progress → resolved → closed (a satisfied or basically satisfied callback, callbacks.py);
a dissatisfied callback sends a resolved concern back to in_progress with a new due date;
a leader may withdraw an open or in-progress concern, with a reason.

Every change to a concern names the version the caller saw. The row is locked (SELECT ... FOR
UPDATE) and written with UPDATE ... WHERE version = <seen>, version + 1: of two people who
loaded the same version, the second is refused and told what changed meanwhile. Each transition is
guard (permissions.concern_guard) → write (_write) → event (_event), in one transaction.
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

from .. import permissions, rollups, scope, workdays
from ..display import actor_name
from ..errors import ConcernConflict, DomainError
from ..models import (
    Category,
    Concern,
    ConcernEvent,
    DueDateShift,
    FollowUpAction,
    Person,
    Principle,
    ReferenceCounter,
    Unit,
    Visit,
)


def default_due_date(*, priority: str, raised_on: datetime.date) -> datetime.date:
    """The due date a concern gets from its priority: settings.FIELDWORK["DUE_DAYS"] working days
    after the day it was raised, counted with the official calendar (fieldwork.workdays)."""
    return workdays.add_working_days(raised_on, settings.FIELDWORK["DUE_DAYS"][priority])


def callback_limit_days() -> int:
    """Working days after the resolution within which the callback is due (CALLBACK_LIMIT_DAYS, default 3)."""
    return int(settings.FIELDWORK.get("CALLBACK_LIMIT_DAYS", 3))


def callback_due_date(*, resolved_on: datetime.date) -> datetime.date:
    """The callback deadline of a concern resolved on `resolved_on`: CALLBACK_LIMIT_DAYS working days
    later, counted with the official calendar, as a due date is."""
    return workdays.add_working_days(resolved_on, callback_limit_days())


def callback_window(*, concern: Concern, resolved_on: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    """(callback_from, callback_due) of a concern resolved on `resolved_on`: the one place they are set.

    - Not raised through the public channel: it joins the callback queue the day it is resolved and
      its callback is due CALLBACK_LIMIT_DAYS working days later.
    - Public, with a contact: the person first has PUBLIC_ANSWER_DAYS working days to answer on the
      tracking page; then it joins the queue, its callback due CALLBACK_LIMIT_DAYS working days later.
    - Public, without a contact: nobody can call, so it never joins the queue (callback_from None);
      callback_due is the last day the person can answer, PUBLIC_NO_ANSWER_DAYS working days after the
      resolution. The day after it, the daily run closes it as no answer
      (services.callbacks.concerns_close_no_answer).
    """
    if concern.source != Concern.Source.PUBLIC:
        return resolved_on, callback_due_date(resolved_on=resolved_on)
    if (concern.raised_by_contact or "").strip():
        callback_from = workdays.add_working_days(resolved_on, public_answer_days())
        return callback_from, workdays.add_working_days(callback_from, callback_limit_days())
    return None, workdays.add_working_days(resolved_on, public_no_answer_days())


def public_answer_until(concern: Concern) -> datetime.date | None:
    """The last day of a resolved public concern's own window, in which only its person is asked (on the
    tracking page): with a contact, the working day before it joins the callback queue; without one,
    its callback_due, after which it closes as no answer. None when it has no such window (not public,
    not resolved, or resolved with PUBLIC_ANSWER_DAYS 0)."""
    if concern.status != Concern.Status.RESOLVED or concern.source != Concern.Source.PUBLIC:
        return None
    if concern.callback_from is None:
        return concern.callback_due
    if concern.resolved_at is None or concern.callback_from <= timezone.localdate(concern.resolved_at):
        return None
    return workdays.add_working_days(concern.callback_from, -1)


def public_answer_days() -> int:
    """Working days a public concern's person has to answer on the tracking page before a call."""
    return int(settings.FIELDWORK.get("PUBLIC_ANSWER_DAYS", 3))


def public_no_answer_days() -> int:
    """Working days a public concern without a contact waits for its person's answer before closing."""
    return int(settings.FIELDWORK.get("PUBLIC_NO_ANSWER_DAYS", 10))


def reference_next(*, year: int) -> str:
    """The next concern reference of a year, FW-2026-000123; unique under concurrent saves.

    The counter row is locked by the UPDATE until the caller's transaction ends, so two
    concurrent saves are served one after the other.
    """
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return reference_format(year=year, number=number)


def reference_format(*, year: int, number: int) -> str:
    """How a concern's reference reads: the year it was raised and its number in that year."""
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
    # the worker the concern came from (models.Person of the unit), or a name to create them under;
    # both ignored on an anonymous concern. `repeat_of`: the earlier concern this one repeats.
    person: Person | None = None
    new_person_name: str = ""
    repeat_of: Concern | None = None


@rollups.in_step  # rollups refreshed once, at the end of the transaction
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
        person = None if data.anonymous else data.person
        from ..similar import person_error, repeat_link_error

        problem = person_error(anonymous=False, person=person, unit_id=unit.pk) or repeat_link_error(
            anonymous=data.anonymous,
            person_id=person.pk if person else (-1 if data.new_person_name.strip() and not data.anonymous else None),
            unit_id=unit.pk,
            earlier=data.repeat_of,
        )
        if problem:
            raise DomainError(problem)
        if person is None and data.new_person_name.strip() and not data.anonymous:
            person = Person.objects.create(unit=unit, name=data.new_person_name.strip(), created_by=by)
        concern = Concern(
            person=person,
            repeat_of=data.repeat_of,
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
        concern._history_user = by
        concern.save()
        concern.principles.set(data.principles)
        ConcernEvent.objects.create(
            concern=concern,
            kind=ConcernEvent.Kind.RAISED,
            actor=by,
            to_status=concern.status,
            created_at=raised_at,
        )
    return concern


def concern_raise(
    *, by: AbstractBaseUser, unit: Unit, data: ConcernInput, owner: AbstractBaseUser | None = None
) -> Concern:
    """Raise a concern outside a visit (heard on the phone, at a meeting...).

    Its owner is the person who logs it; a leader of the unit may give it to someone else who
    works there.
    """
    permissions.unit_guard(user=by, unit=unit)
    owner = owner or by
    if owner.pk != by.pk:
        if not scope.is_leader_of(by, unit):
            raise DomainError(_("Only a leader of the unit can give the concern to someone else."))
        if not owner.is_active or not scope.is_member_of(owner, unit):
            raise DomainError(_("The owner must work in this unit or a unit above it."))
    return concern_create(unit=unit, data=data, by=by, source=Concern.Source.OTHER, owner=owner)


# --- the versioned write --------------------------------------------------------------------------

# Events that come with a new version of the concern (and its updated_at): the conflict message lists them.
VERSIONED_KINDS = frozenset(
    {
        ConcernEvent.Kind.STARTED,
        ConcernEvent.Kind.ASSESSED,
        ConcernEvent.Kind.RESOLVED,
        ConcernEvent.Kind.CALLBACK,
        ConcernEvent.Kind.REOPENED,
        ConcernEvent.Kind.CLOSED,
        ConcernEvent.Kind.UNREACHABLE,
        ConcernEvent.Kind.NO_ANSWER,
        ConcernEvent.Kind.WITHDRAWN,
        ConcernEvent.Kind.REASSIGNED,
        ConcernEvent.Kind.DUE_CHANGED,
        ConcernEvent.Kind.EXTENSION_APPROVED,
        ConcernEvent.Kind.EDITED,
        ConcernEvent.Kind.TRANSFERRED,  # services.transfers
    }
)


def concern_changes_since(*, concern: Concern, version: int) -> str:
    """The conflict message for a page loaded at `version`: what changed since, and how it stands."""
    return _changes_since(concern, version)


def _changes_since(current: Concern, version: int) -> str:
    """What happened to the concern after `version`, from its timeline.

    Every versioned change writes one event, except a callback, which writes the callback and then
    the closing or reopening: so the latest (current.version - version) such changes, counted
    back from the newest event, are what the caller missed.
    """
    missed = current.version - version
    picked: list[ConcernEvent] = []
    if missed > 0:
        counted = 0
        events = (
            current.events.filter(kind__in=VERSIONED_KINDS)
            .select_related("actor")
            .order_by("-id")[: min(missed * 2 + 1, 41)]
        )
        for event in events:
            if event.kind == ConcernEvent.Kind.CALLBACK:
                if picked:  # the callback that led to the closing or reopening just counted
                    picked.append(event)
                continue
            if counted == missed:
                break
            counted += 1
            picked.append(event)
    lines = [
        _("%(what)s by %(who)s at %(when)s")
        % {
            "what": event.get_kind_display(),
            "who": actor_name(event.actor),
            "when": timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
        }
        for event in reversed(picked)
    ]
    changes = "; ".join(lines) or _("it was changed")
    return _(
        "Someone else changed this concern after you loaded it (%(changes)s). It is now “%(status)s”. "
        "Nothing you entered was saved: look at it as it is now and try again."
    ) % {"changes": changes, "status": current.get_status_display()}


def _lock(concern: Concern, *, version: int) -> None:
    """Lock the concern's row, refuse a stale version, and bring `concern` up to date with the row."""
    current = Concern.objects.select_for_update().get(pk=concern.pk)
    if current.version != version:
        raise ConcernConflict(_changes_since(current, version))
    for field_ in Concern._meta.concrete_fields:
        setattr(concern, field_.attname, getattr(current, field_.attname))


def _write(concern: Concern, *, by, version: int, now: datetime.datetime, **changes) -> None:
    """UPDATE ... WHERE version = <seen>: the database itself refuses a lost update.

    Each call is one new version and must write exactly one versioned event (see _changes_since),
    and one history record of the concern as it now stands (history.py shows what changed).
    """
    updated = Concern.objects.filter(pk=concern.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **changes
    )
    if updated != 1:
        current = Concern.objects.get(pk=concern.pk)
        raise ConcernConflict(_changes_since(current, version))
    for name, value in changes.items():
        setattr(concern, name, value)
    concern.version = version + 1
    concern.updated_at = now
    _history(concern, by=by, now=now)


def _history(obj: Concern | FollowUpAction, *, by, now: datetime.datetime) -> None:
    """One history record of `obj` as it now stands, after a guarded UPDATE (which sends no post_save)."""
    obj._history_user = by
    type(obj).history.bulk_history_create([obj], update=True, default_date=now)


def _event(concern: Concern, *, kind: str, by, now, old: str = "", note: str = "", public: bool = True, data=None):
    return ConcernEvent.objects.create(
        data=data or {},
        concern=concern,
        kind=kind,
        actor=by,
        from_status=old,
        to_status=concern.status if old else "",
        note=note,
        public=public,
        created_at=now,
    )


# --- transitions -----------------------------------------------------------------------------------


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_start(*, concern: Concern, by: AbstractBaseUser, version: int, note: str = "") -> Concern:
    """Take up an open concern. The first take-up is what the response rate measures.

    A leader who starts an unassigned concern becomes its owner (and may reassign it later), so
    that no concern is in progress with nobody answering for it.
    """
    _lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.START)
    now = timezone.now()
    old = concern.status
    changes: dict = {"status": Concern.Status.IN_PROGRESS}
    if concern.taken_up_at is None:
        changes["taken_up_at"] = now
    if concern.owner_id is None:
        changes["owner"] = by
    _write(concern, by=by, version=version, now=now, **changes)
    _event(concern, kind=ConcernEvent.Kind.STARTED, by=by, now=now, old=old, note=note.strip())
    return concern


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_resolve(*, concern: Concern, by: AbstractBaseUser, version: int, resolution: str) -> Concern:
    """Mark a concern resolved; it closes only when the person who raised it is satisfied."""
    _lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.RESOLVE)
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainError(_("Say what was done: a concern is resolved only with a resolution."))
    now = timezone.now()
    old = concern.status
    callback_from, callback_due = callback_window(concern=concern, resolved_on=timezone.localdate(now))
    _write(
        concern,
        by=by,
        version=version,
        now=now,
        status=Concern.Status.RESOLVED,
        resolution=resolution,
        resolved_at=now,
        callback_from=callback_from,
        callback_due=callback_due,
    )
    _event(concern, kind=ConcernEvent.Kind.RESOLVED, by=by, now=now, old=old, note=resolution)
    return concern


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_assess(
    *, concern: Concern, by: AbstractBaseUser, version: int, solvability: str, note: str = ""
) -> Concern:
    """Record whether the concern can be solved now, needs long-term work or is limited by policy.

    The dashboard reports policy-limited concerns apart, so the assessment must be deliberate
    and on the record; the event's note names the assessment in the assessor's language.
    """
    _lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.ASSESS)
    if solvability not in Concern.Solvability.values:
        raise DomainError(_("Choose how far the concern can be solved."))
    now = timezone.now()
    _write(concern, by=by, version=version, now=now, solvability=solvability)
    _event(concern, kind=ConcernEvent.Kind.ASSESSED, by=by, now=now, note=assessed_note(solvability, note))
    return concern


def assessed_note(solvability: str, note: str = "") -> str:
    """The timeline note of an assessment: the solvability in the active language, then the note."""
    label = str(Concern.Solvability(solvability).label)
    note = note.strip()
    return f"{label}: {note}" if note else label


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_withdraw(*, concern: Concern, by: AbstractBaseUser, version: int, reason: str) -> Concern:
    """A leader withdraws a concern that will not be worked on (a duplicate, raised in error), saying why.

    Resolved and closed concerns cannot be withdrawn: what was done stays on the record.
    """
    _lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.WITHDRAW)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for withdrawing the concern."))
    now = timezone.now()
    old = concern.status
    _write(concern, by=by, version=version, now=now, status=Concern.Status.WITHDRAWN)
    _event(concern, kind=ConcernEvent.Kind.WITHDRAWN, by=by, now=now, old=old, note=reason)
    return concern


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_reassign(
    *, concern: Concern, by: AbstractBaseUser, version: int, owner: AbstractBaseUser, note: str = ""
) -> Concern:
    """A leader hands the concern to someone who works in its unit (or above it). Internal: not public."""
    _lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.REASSIGN)
    if owner is None or not owner.is_active or not scope.is_member_of(owner, concern.unit):
        raise DomainError(_("The new owner must work in the concern's unit or a unit above it."))
    if concern.owner_id == owner.pk:
        raise DomainError(_("%(name)s already owns this concern.") % {"name": actor_name(owner)})
    previous = concern.owner
    now = timezone.now()
    _write(concern, by=by, version=version, now=now, owner=owner)
    text = reassigned_note(actor_name(previous) if previous else "", actor_name(owner), note)
    _event(concern, kind=ConcernEvent.Kind.REASSIGNED, by=by, now=now, note=text, public=False)
    return concern


def reassigned_note(previous: str, owner: str, note: str = "") -> str:
    """The timeline note of a reassignment: "<previous owner> → <new owner>" (names; "" is nobody),
    then the leader's note."""
    text = _("%(old)s → %(new)s") % {"old": previous or _("nobody"), "new": owner}
    note = note.strip()
    return _("%(text)s: %(note)s") % {"text": text, "note": note} if note else text  # 由A改为B：…


@rollups.in_step  # one transaction; the rollups read what changed at its end
def concern_set_due(
    *, concern: Concern, by: AbstractBaseUser, version: int, due_date: datetime.date, note: str = ""
) -> Concern:
    """A leader moves the due date (never into the past); the overdue lists follow the new date."""
    _lock(concern, version=version)
    permissions.concern_guard(concern=concern, user=by, action=permissions.SET_DUE)
    if due_date < timezone.localdate():
        raise DomainError(_("The due date cannot be in the past."))
    if due_date == concern.due_date:
        raise DomainError(_("The concern is already due on that date."))
    old_due = concern.due_date
    now = timezone.now()
    _write(concern, by=by, version=version, now=now, due_date=due_date)
    moved = {"old_due": old_due.isoformat(), "new_due": due_date.isoformat()}  # said by event_notes
    _event(concern, kind=ConcernEvent.Kind.DUE_CHANGED, by=by, now=now, note=note.strip(), data=moved)
    return concern


# A leader applies at most this many shifts a request; the page offers the rest again.
DUE_SHIFTS_PER_REQUEST = 500


def concern_due_shifts_apply(*, shifts: Iterable[DueDateShift], by: AbstractBaseUser) -> int:
    """A leader moves due dates as the new calendar counts them (workdays.due_shifts_record).

    Each concern gets its new date with an event on its timeline, in a transaction of its own; a
    shift whose concern changed date, closed or lies outside what `by` leads is left as it is.
    Returns how many were applied.
    """
    return sum(_due_shift_apply(shift_id=shift.pk, by=by) for shift in list(shifts)[:DUE_SHIFTS_PER_REQUEST])


@rollups.in_step  # one transaction; the rollups read what changed at its end
def _due_shift_apply(*, shift_id: int, by: AbstractBaseUser) -> bool:
    current = DueDateShift.objects.select_for_update().get(pk=shift_id)
    concern = Concern.objects.select_for_update().select_related("unit").get(pk=current.concern_id)
    stale = current.applied_at is not None or concern.due_date != current.due_date_before
    if stale or not concern.is_active:
        return False
    if not permissions.concern_may(concern=concern, user=by, action=permissions.SET_DUE):
        return False
    now = timezone.now()
    _write(concern, by=by, version=concern.version, now=now, due_date=current.due_date_after)
    moved = {"old_due": current.due_date_before.isoformat(), "new_due": current.due_date_after.isoformat()}
    reason = _("the holidays of %(year)s as the State Council's notice fixes them") % {"year": current.year}
    _event(concern, kind=ConcernEvent.Kind.DUE_CHANGED, by=by, now=now, note=reason, data=moved)
    current.applied_at, current.applied_by = now, by
    current.save(update_fields=["applied_at", "applied_by"])
    return True
