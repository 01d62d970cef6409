"""What a user may DO: the role and status rules of concerns, their actions, extensions and visits.

scope.py says what a user may see; this module says what they may change. Services refuse with
`concern_guard` (and the checks beside it) before they write; pages ask `concern_rights` and
`visit_rights` once, and show only what the answers allow.

The rules:
- the owner or a leader of the unit (or above it) starts, resolves and assesses; an unassigned
  concern is taken up by a leader, who becomes its owner until they reassign it;
- anyone in scope but the owner records a callback, or an attempt that did not reach the person:
  the one who did the work does not grade it;
- a leader of the unit (or above it) closes a resolved concern as unreachable, after the set
  attempts on different days (services.callbacks counts them);
- leaders withdraw, reassign, transfer to another unit (转办) and change due dates; anyone in scope
  adds an action;
- the action's owner, the concern's owner or a leader marks an action done;
- the concern's owner asks for an extension, before the due date; a leader other than the one
  who asked decides on it;
- a visit is edited by its author or a leader of its unit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import scope
from .errors import DomainError
from .models import Concern, ExtensionRequest, FollowUpAction, Unit, Visit

START = "start"
RESOLVE = "resolve"
ASSESS = "assess"
CALLBACK = "callback"
ATTEMPT = "attempt"
UNREACHABLE = "unreachable"
WITHDRAW = "withdraw"
REASSIGN = "reassign"
SET_DUE = "set_due"
TRANSFER = "transfer"
ADD_ACTION = "add_action"

_ACTIVE = frozenset(Concern.ACTIVE_STATUSES)

# The statuses in which each action makes sense.
_STATUSES_FOR = {
    START: frozenset({Concern.Status.OPEN}),
    RESOLVE: frozenset({Concern.Status.IN_PROGRESS}),
    ASSESS: _ACTIVE,
    CALLBACK: frozenset({Concern.Status.RESOLVED}),
    ATTEMPT: frozenset({Concern.Status.RESOLVED}),
    UNREACHABLE: frozenset({Concern.Status.RESOLVED}),
    WITHDRAW: _ACTIVE,
    REASSIGN: _ACTIVE,
    SET_DUE: _ACTIVE,
    TRANSFER: _ACTIVE,
    ADD_ACTION: _ACTIVE,
}


# --- concerns -------------------------------------------------------------------------------------


def _status_refusal(action: str, concern: Concern) -> str:
    status = concern.get_status_display()
    messages = {
        START: _("Only an open concern can be started; this one is “%(status)s”."),
        RESOLVE: _("Only a concern in progress can be resolved; this one is “%(status)s”."),
        ASSESS: _("Only an open or in-progress concern can be assessed; this one is “%(status)s”."),
        CALLBACK: _("A callback is recorded once the concern is resolved; this one is “%(status)s”."),
        ATTEMPT: _("A call is recorded while the concern awaits its callback; this one is “%(status)s”."),
        UNREACHABLE: _("Only a concern awaiting its callback can be closed as unreachable; this one is “%(status)s”."),
        WITHDRAW: _("Only an open or in-progress concern can be withdrawn; this one is “%(status)s”."),
        REASSIGN: _("Only an open or in-progress concern can get a new owner; this one is “%(status)s”."),
        SET_DUE: _("Only an open or in-progress concern can get a new due date; this one is “%(status)s”."),
        TRANSFER: _("Only an open or in-progress concern can be transferred; this one is “%(status)s”."),
        ADD_ACTION: _("Actions are added only to an open or in-progress concern; this one is “%(status)s”."),
    }
    return messages[action] % {"status": status}


def _role_refusal(action: str, concern: Concern, user) -> str | None:
    """Why this user may not take this action on this concern, or None if they may (the rules above)."""
    if user is None or not user.is_authenticated or not scope.is_member_of(user, concern.unit):
        return _("You can only work on concerns of your own units.")
    leader = scope.is_leader_of(user, concern.unit)
    owner = concern.owner_id is not None and concern.owner_id == user.pk
    if action in (START, RESOLVE, ASSESS):
        if owner or leader:
            return None
        if concern.owner_id is None:
            return _("This concern has no owner yet: a leader of its unit takes it up or assigns it.")
        return _("Only the concern's owner or a leader of its unit can do this.")
    if action in (CALLBACK, ATTEMPT):
        if owner:
            return _(
                "You own this concern: the one who did the work does not grade it. Someone else records the callback."
            )
        return None
    if action == UNREACHABLE:
        return None if leader else _("Only a leader of the concern's unit can close it as unreachable.")
    if action == WITHDRAW:
        return None if leader else _("Only a leader of the concern's unit can withdraw it.")
    if action == REASSIGN:
        return None if leader else _("Only a leader of the concern's unit can change its owner.")
    if action == SET_DUE:
        return None if leader else _("Only a leader of the concern's unit can change its due date.")
    if action == TRANSFER:
        return None if leader else _("Only a leader of the concern's unit can transfer it to another unit.")
    if action == ADD_ACTION:
        return None
    raise ValueError(action)


def concern_may(*, concern: Concern, user, action: str) -> bool:
    """Whether the user's role allows the action, whatever the concern's status (views: 403 if not)."""
    return _role_refusal(action, concern, user) is None


def concern_allowed_transitions(concern: Concern, user) -> list[str]:
    """The actions this user may take on the concern now: the detail page shows only these."""
    return [
        action
        for action, statuses in _STATUSES_FOR.items()
        if concern.status in statuses and _role_refusal(action, concern, user) is None
    ]


def concern_refusal(*, concern: Concern, user, action: str) -> str | None:
    """Why the user may not take this action on the concern now (role or status), or None."""
    refusal = _role_refusal(action, concern, user)
    if refusal is None and concern.status not in _STATUSES_FOR[action]:
        refusal = _status_refusal(action, concern)
    return refusal


def concern_status_refusal(*, concern: Concern, action: str) -> str | None:
    """Why the concern's status does not allow the action now, whoever asks, or None."""
    return None if concern.status in _STATUSES_FOR[action] else _status_refusal(action, concern)


def concern_guard(*, concern: Concern, user, action: str) -> None:
    """The services' guard: raise the refusal (role first, then status) as a DomainError."""
    refusal = _role_refusal(action, concern, user)
    if refusal:
        raise DomainError(refusal)
    if concern.status not in _STATUSES_FOR[action]:
        raise DomainError(_status_refusal(action, concern))


def unit_guard(*, user, unit: Unit) -> None:
    """Work is recorded only in the units the user works in (or below them)."""
    if not scope.is_member_of(user, unit):
        raise DomainError(_("You can only record work in your own units."))


# --- follow-up actions ----------------------------------------------------------------------------


def _may_complete(concern: Concern, action_owner_id: int, user) -> bool:
    if not user.is_authenticated or not scope.is_member_of(user, concern.unit):
        return False
    return user.pk in (action_owner_id, concern.owner_id) or scope.is_leader_of(user, concern.unit)


def action_can_complete(*, action: FollowUpAction, user) -> bool:
    """The action's owner, the concern's owner or a leader of the concern's unit marks it done."""
    return _may_complete(action.concern, action.owner_id, user)


# --- extension requests (延期申请) ------------------------------------------------------------------


def extension_may_request(*, concern: Concern, user) -> bool:
    """The role check (views: 403 if not): only the concern's owner asks for more time."""
    return (
        user is not None
        and user.is_authenticated
        and concern.owner_id is not None
        and concern.owner_id == user.pk
        and scope.is_member_of(user, concern.unit)
    )


def extension_request_refusal(*, concern: Concern, user, today: datetime.date | None = None) -> str | None:
    """Why the user may not ask for an extension of this concern now, or None; the page shows the
    form only when this is None."""
    if not extension_may_request(concern=concern, user=user):
        return _("Only the concern's owner can ask for an extension.")
    if concern.status not in _ACTIVE:
        return _("Only an open or in-progress concern can be extended; this one is “%(status)s”.") % {
            "status": concern.get_status_display()
        }
    today = today or timezone.localdate()
    if today >= concern.due_date:
        return _(
            "An extension is asked for before the due date (%(date)s). Now the concern is due or overdue: "
            "it is chased, not extended."
        ) % {"date": formats.date_format(concern.due_date, "DATE_FORMAT")}
    if concern.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        return _("An extension request is already waiting for a leader's decision.")
    return None


def _may_decide(concern: Concern, requested_by_id: int | None, user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and scope.is_leader_of(user, concern.unit)
        and requested_by_id != user.pk
    )


def extension_may_decide(*, request: ExtensionRequest, user) -> bool:
    """The role check (views: 403 if not): a leader of the concern's unit, not the one who asked."""
    return _may_decide(request.concern, request.requested_by_id, user)


# --- visits ---------------------------------------------------------------------------------------


def visit_can_edit(*, user, visit: Visit) -> bool:
    return visit.author_id == user.pk or scope.is_leader_of(user, visit.unit)


# --- what a page may offer, in one call -----------------------------------------------------------


@dataclass(frozen=True)
class ConcernRights:
    """Everything the concern detail page asks about what this user may do with this concern now."""

    transitions: tuple[str, ...]  # START, RESOLVE, ... in the page's order, only those allowed now
    completable_actions: frozenset[int]  # ids of the open follow-up actions the user may mark done
    may_request_extension: bool  # the owner may send an extension request now
    extension_refusal: str | None  # why not, shown to the owner of an active concern; else None
    may_decide_extension: bool  # a pending request waits, and this user decides on it
    may_see_contact: bool  # the raiser's contact: for the owner and the unit's leaders

    def may(self, action: str) -> bool:
        return action in self.transitions

    @property
    def may_start(self) -> bool:
        return START in self.transitions

    @property
    def may_resolve(self) -> bool:
        return RESOLVE in self.transitions

    @property
    def may_assess(self) -> bool:
        return ASSESS in self.transitions

    @property
    def may_record_callback(self) -> bool:
        return CALLBACK in self.transitions

    @property
    def may_record_attempt(self) -> bool:
        return ATTEMPT in self.transitions

    @property
    def may_close_unreachable(self) -> bool:
        """The role and status allow it; whether enough attempts were made is services.callbacks'."""
        return UNREACHABLE in self.transitions

    @property
    def may_withdraw(self) -> bool:
        return WITHDRAW in self.transitions

    @property
    def may_reassign(self) -> bool:
        return REASSIGN in self.transitions

    @property
    def may_change_due(self) -> bool:
        return SET_DUE in self.transitions

    @property
    def may_transfer(self) -> bool:
        return TRANSFER in self.transitions

    @property
    def may_add_action(self) -> bool:
        return ADD_ACTION in self.transitions


def concern_rights(
    concern: Concern,
    user,
    *,
    today: datetime.date | None = None,
    actions: Iterable[FollowUpAction] | None = None,
    extension_requests: Iterable[ExtensionRequest] | None = None,
) -> ConcernRights:
    """What `user` may do with `concern` now, in one answer for its detail page.

    `actions` and `extension_requests` are the concern's, as the page already loaded them; they are
    read here only when not given. Asks the database at most one question more (whether a request is
    pending, for the owner of an active concern before its due date), as extension_request_refusal
    does for the service.
    """
    if actions is None:
        actions = concern.actions.all()
    if extension_requests is None:
        extension_requests = concern.extension_requests.all()
    pending = next((item for item in extension_requests if item.status == ExtensionRequest.Status.PENDING), None)
    extension_refusal = None
    may_request = False
    if extension_may_request(concern=concern, user=user) and concern.is_active:
        extension_refusal = extension_request_refusal(concern=concern, user=user, today=today)
        may_request = extension_refusal is None
    return ConcernRights(
        transitions=tuple(concern_allowed_transitions(concern, user)),
        completable_actions=frozenset(
            action.pk for action in actions if action.done_at is None and _may_complete(concern, action.owner_id, user)
        ),
        may_request_extension=may_request,
        extension_refusal=extension_refusal,
        may_decide_extension=pending is not None and _may_decide(concern, pending.requested_by_id, user),
        may_see_contact=contact_visible(concern=concern, user=user),
    )


def contact_visible(*, concern: Concern, user) -> bool:
    """Whether the user sees the raiser's contact: the owner and the leaders of the unit (or above),
    never on an anonymous concern. The detail page and the callback queue ask this; it reads no row."""
    return contact_visible_for(
        user=user, anonymous=concern.anonymous, owner_id=concern.owner_id, unit_path=concern.unit.path
    )


def contact_visible_for(*, user, anonymous: bool, owner_id: int | None, unit_path: str) -> bool:
    """contact_visible from the fields alone, for exports that read rows as tuples."""
    if anonymous:
        return False
    if owner_id is not None and owner_id == user.pk:
        return True
    return scope.is_leader_of(user, Unit(path=unit_path))


@dataclass(frozen=True)
class VisitRights:
    """What the visit pages ask about what this user may do with this visit."""

    may_edit: bool


def visit_rights(visit: Visit, user) -> VisitRights:
    return VisitRights(may_edit=visit_can_edit(user=user, visit=visit))


def person_contact_visible(*, person, user) -> bool:
    """Whether the user sees a worker's contact: the same rule as a concern's contact
    (contact_visible_for), the worker being nobody's concern to own: the unit's leaders (or above)."""
    return contact_visible_for(user=user, anonymous=False, owner_id=None, unit_path=person.unit.path)
