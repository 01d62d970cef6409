"""Follow-up actions (措施) on a concern: adding one and marking it done.

An action does not change its concern's status or version, except the first one of the owner (or of
a leader) on an open concern, which takes it up (issue 18: fewer steps to a resolution); each writes
one event on the concern's timeline, inside the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, rollups, scope
from ..display import actor_name
from ..errors import DomainError
from ..models import Concern, ConcernEvent, FollowUpAction, Principle
from . import concerns as concern_services


@rollups.in_step  # one transaction; the rollups read what changed at its end
def action_add(
    *,
    concern: Concern,
    by: AbstractBaseUser,
    description: str,
    owner: AbstractBaseUser,
    due_date: datetime.date,
    principles: Iterable[Principle] = (),
) -> FollowUpAction:
    """Add a follow-up action to an open or in-progress concern; anyone working in its unit may.

    The first action of the owner (or of a leader of the unit) on an open concern takes it up
    (open → in progress, the response counted then); another cadre's action does not.

    Otherwise an action does not change the concern itself, so it needs no version; the same open
    action twice (a repeated submit) is refused instead.
    """
    locked = Concern.objects.select_for_update().get(pk=concern.pk)
    concern.status = locked.status
    permissions.concern_guard(concern=concern, user=by, action=permissions.ADD_ACTION)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe the action."))
    if owner is None or not owner.is_active or not scope.is_member_of(owner, concern.unit):
        raise DomainError(_("The action's owner must work in the concern's unit or a unit above it."))
    if due_date < timezone.localdate():
        raise DomainError(_("An action cannot be due in the past."))
    if FollowUpAction.objects.filter(
        concern=concern, description=description, owner=owner, done_at__isnull=True
    ).exists():
        raise DomainError(_("This action is already on the list."))
    now = timezone.now()
    if locked.status == Concern.Status.OPEN and permissions.concern_may(
        concern=locked, user=by, action=permissions.START
    ):
        _take_up(locked, by=by, now=now)
        for field_ in Concern._meta.concrete_fields:
            setattr(concern, field_.attname, getattr(locked, field_.attname))
    action = FollowUpAction(concern=concern, description=description, owner=owner, due_date=due_date, created_by=by)
    action._history_user = by
    action.save()
    action.principles.set(principles)
    concern_services._event(
        concern,
        kind=ConcernEvent.Kind.ACTION_ADDED,
        by=by,
        now=now,
        note=description,
        data={"owner": actor_name(owner), "due": due_date.isoformat()},
        public=False,
    )
    return action


def _take_up(concern: Concern, *, by: AbstractBaseUser, now) -> None:
    """The owner's (or a leader's) first action on an open concern takes it up, as "Start work" does:
    in progress from now, the response counted now; a leader taking up an unassigned one owns it."""
    changes: dict = {"status": Concern.Status.IN_PROGRESS}
    if concern.taken_up_at is None:
        changes["taken_up_at"] = now
    if concern.owner_id is None:
        changes["owner"] = by
    concern_services._write(concern, by=by, version=concern.version, now=now, **changes)
    note = _("Taken up with the first follow-up action.")
    concern_services._event(concern, kind=ConcernEvent.Kind.STARTED, by=by, now=now, old=Concern.Status.OPEN, note=note)


@rollups.in_step  # one transaction; the rollups read what changed at its end
def action_complete(*, action: FollowUpAction, by: AbstractBaseUser, outcome: str) -> FollowUpAction:
    """Mark an action done with what came of it; done once, never undone."""
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if not permissions.action_can_complete(action=action, user=by):
        raise DomainError(_("Only the action's owner, the concern's owner or a leader can mark it done."))
    if locked.done_at is not None:
        raise DomainError(_("This action was already marked done."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("Say what came of the action."))
    now = timezone.now()
    FollowUpAction.objects.filter(pk=action.pk).update(done_at=now, outcome=outcome)
    action.done_at, action.outcome = now, outcome
    concern_services._history(action, by=by, now=now)
    concern_services._event(
        action.concern,
        kind=ConcernEvent.Kind.ACTION_DONE,
        by=by,
        now=now,
        note=action_done_note(action.description, outcome),
        public=False,
    )
    return action


def action_added_note(description: str, owner: str, due_date: datetime.date) -> str:
    """The timeline note of a new action: what, who (a name) and by when."""
    return f"{description} ({owner}, {due_date.isoformat()})"


def action_done_note(description: str, outcome: str) -> str:
    """The timeline note of an action done: what it was and what came of it."""
    return f"{description}: {outcome}"
