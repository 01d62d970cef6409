"""The concern status machine in services.py: every transition, legal and illegal, the callback that
closes or reopens, the event log, and optimistic locking."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from fieldwork import permissions
from fieldwork.errors import ConcernConflict, DomainError
from fieldwork.models import Concern, ConcernEvent, Feedback, FollowUpAction, Membership
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import ConcernFactory, FollowUpActionFactory, MembershipFactory, UserFactory, category

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """Time stands still at 2026-11-10 10:00 in Shanghai; `frozen.move(days=)` moves it."""

    class Clock:
        now = NOW

        def move(self, **delta):
            self.now += datetime.timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def cadre_a2(team_a):
    """A second cadre of team A, who does not own the concern."""
    user = UserFactory(username="cadre_a2", first_name="强", last_name="赵")
    MembershipFactory(user=user, unit=team_a, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def concern(team_a, cadre_a):
    """An open concern of team A owned by cadre_a, raised through the service."""
    return concern_services.concern_create(
        unit=team_a,
        data=ConcernInput(title="Switch room lights flicker", category=category(), raised_by_name="刘师傅"),
        by=cadre_a,
        owner=cadre_a,
    )


def started(concern, by):
    return concern_services.concern_start(concern=concern, by=by, version=concern.version)


def resolved(concern, by):
    if concern.status == Concern.Status.OPEN:
        started(concern, by)
    return concern_services.concern_resolve(
        concern=concern, by=by, version=concern.version, resolution="Replaced the ballast."
    )


def kinds(concern):
    return list(concern.events.values_list("kind", flat=True))


# --- start --------------------------------------------------------------------------------------------


def test_owner_starts_an_open_concern(concern, cadre_a):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1, note="Called the electrician.")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.taken_up_at == NOW
    assert concern.version == 2
    event = concern.events.last()
    assert (event.kind, event.actor, event.from_status, event.to_status, event.note, event.public) == (
        ConcernEvent.Kind.STARTED,
        cadre_a,
        "open",
        "in_progress",
        "Called the electrician.",
        True,
    )
    assert event.created_at == NOW


def test_leader_of_a_unit_above_may_start(concern, leader_branch):
    started(concern, leader_branch)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.owner.username == "cadre_a"  # the owner stays


def test_start_refused_when_not_open(concern, cadre_a):
    started(concern, cadre_a)
    with pytest.raises(DomainError, match="Only an open concern can be started; this one is “In progress”"):
        started(concern, cadre_a)


def test_another_cadre_cannot_start(concern, cadre_a2):
    with pytest.raises(DomainError, match="Only the concern's owner or a leader"):
        started(concern, cadre_a2)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN and concern.version == 1


def test_out_of_scope_cannot_start(concern, cadre_b_other_team, leader_other_branch):
    for user in (cadre_b_other_team, leader_other_branch):
        with pytest.raises(DomainError, match="your own units"):
            started(concern, user)


def test_unassigned_concern_is_started_by_a_leader_who_becomes_its_owner(team_a, cadre_a, leader_branch):
    concern = ConcernFactory(unit=team_a, owner=None)
    with pytest.raises(DomainError, match="no owner yet: a leader of its unit takes it up"):
        started(concern, cadre_a)
    started(concern, leader_branch)
    concern.refresh_from_db()
    assert concern.owner == leader_branch and concern.status == Concern.Status.IN_PROGRESS


def test_taken_up_at_is_the_first_take_up(concern, cadre_a, cadre_a2, frozen):
    resolved(concern, cadre_a)
    frozen.move(days=3)
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=concern.version, satisfaction="dissatisfied", channel="phone"
    )
    concern.refresh_from_db()
    assert concern.taken_up_at == NOW


# --- resolve ------------------------------------------------------------------------------------------


def test_resolve_needs_work_in_progress(concern, cadre_a):
    with pytest.raises(DomainError, match="Only a concern in progress can be resolved; this one is “Open”"):
        concern_services.concern_resolve(concern=concern, by=cadre_a, version=1, resolution="Done.")


def test_resolve_needs_a_resolution(concern, cadre_a):
    started(concern, cadre_a)
    for blank in ("", "   \n"):
        with pytest.raises(DomainError, match="resolved only with a resolution"):
            concern_services.concern_resolve(concern=concern, by=cadre_a, version=concern.version, resolution=blank)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS and concern.version == 2


def test_resolve(concern, cadre_a, frozen):
    started(concern, cadre_a)
    frozen.move(days=2)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=2, resolution="  Replaced the ballast. ")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED
    assert concern.resolution == "Replaced the ballast."
    assert concern.resolved_at == NOW + datetime.timedelta(days=2)
    event = concern.events.last()
    assert (event.kind, event.from_status, event.to_status, event.note) == (
        "resolved",
        "in_progress",
        "resolved",
        "Replaced the ballast.",
    )


def test_another_cadre_cannot_resolve(concern, cadre_a, cadre_a2):
    started(concern, cadre_a)
    with pytest.raises(DomainError, match="owner or a leader"):
        concern_services.concern_resolve(concern=concern, by=cadre_a2, version=2, resolution="Done.")


# --- assess -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start_first", [False, True])
def test_assess_an_active_concern(concern, cadre_a, start_first):
    if start_first:
        started(concern, cadre_a)
    status = concern.status
    concern_services.concern_assess(
        concern=concern, by=cadre_a, version=concern.version, solvability="policy", note="Needs a group rule."
    )
    concern.refresh_from_db()
    assert concern.solvability == Concern.Solvability.POLICY and concern.status == status
    event = concern.events.last()
    assert event.kind == "assessed" and event.note == "Limited by policy: Needs a group rule."


def test_assess_refusals(concern, cadre_a, cadre_a2):
    with pytest.raises(DomainError, match="Choose how far"):
        concern_services.concern_assess(concern=concern, by=cadre_a, version=1, solvability="soon")
    with pytest.raises(DomainError, match="owner or a leader"):
        concern_services.concern_assess(concern=concern, by=cadre_a2, version=1, solvability="now")
    resolved(concern, cadre_a)
    with pytest.raises(DomainError, match="Only an open or in-progress concern can be assessed"):
        concern_services.concern_assess(concern=concern, by=cadre_a, version=concern.version, solvability="now")
    concern.refresh_from_db()
    assert concern.solvability == ""


# --- callbacks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("satisfaction", ["satisfied", "basically"])
def test_satisfied_callback_closes(concern, cadre_a, cadre_a2, satisfaction, frozen):
    resolved(concern, cadre_a)
    frozen.move(days=1)
    feedback = callback_services.feedback_record(
        concern=concern,
        by=cadre_a2,
        version=concern.version,
        satisfaction=satisfaction,
        channel="in_person",
        comment="The light is fine now.",
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert concern.closed_at == NOW + datetime.timedelta(days=1)
    assert feedback.recorded_by == cadre_a2 and feedback.date == TODAY + datetime.timedelta(days=1)
    assert feedback.satisfaction == satisfaction
    callback, closed = concern.events.order_by("id")[3:]
    assert callback.kind == "callback" and callback.note.endswith(": The light is fine now.")
    assert (closed.kind, closed.from_status, closed.to_status, closed.actor) == (
        "closed",
        "resolved",
        "closed",
        cadre_a2,
    )


def test_dissatisfied_callback_reopens_with_a_new_due_date(concern, cadre_a, cadre_a2, frozen):
    resolved(concern, cadre_a)
    frozen.move(days=5)
    callback_services.feedback_record(
        concern=concern,
        by=cadre_a2,
        version=concern.version,
        satisfaction="dissatisfied",
        channel="phone",
        comment="Still flickers at night.",
    )
    concern.refresh_from_db()
    today = TODAY + datetime.timedelta(days=5)
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.reopen_count == 1
    assert concern.resolved_at is None
    assert today == datetime.date(2026, 11, 15)  # a Sunday
    # normal priority: 30 working days, six Monday-to-Friday weeks
    assert concern.due_date == datetime.date(2026, 12, 25)
    assert concern.resolution == "Replaced the ballast."  # kept: the earlier attempt stays on record
    assert kinds(concern) == ["raised", "started", "resolved", "callback", "reopened"]
    callback, reopened = concern.events.order_by("id")[3:]
    assert callback.note == "Dissatisfied: Still flickers at night." and callback.actor == cadre_a2
    assert (reopened.from_status, reopened.to_status) == ("resolved", "in_progress")
    assert reopened.note == "New due date: 2026-12-25"
    assert Feedback.objects.get().satisfaction == "dissatisfied"

    # The work goes round again and the second callback closes it; the count stays.
    resolved(concern, cadre_a)
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=concern.version, satisfaction="satisfied", channel="phone"
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.reopen_count == 1
    assert kinds(concern)[-3:] == ["resolved", "callback", "closed"]


def test_dissatisfied_with_a_chosen_due_date_and_priority_days(concern, cadre_a, leader_branch, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "DUE_DAYS": {"urgent": 3, "normal": 11, "long_term": 60}}
    resolved(concern, cadre_a)
    with pytest.raises(DomainError, match="new due date cannot be in the past"):
        callback_services.feedback_record(
            concern=concern,
            by=leader_branch,
            version=concern.version,
            satisfaction="dissatisfied",
            channel="phone",
            new_due_date=TODAY - datetime.timedelta(days=1),
        )
    callback_services.feedback_record(
        concern=concern,
        by=leader_branch,
        version=concern.version,
        satisfaction="dissatisfied",
        channel="phone",
        new_due_date=TODAY + datetime.timedelta(days=4),
    )
    concern.refresh_from_db()
    assert concern.due_date == TODAY + datetime.timedelta(days=4)
    assert Feedback.objects.count() == 1  # the refused one left nothing behind


def test_owner_cannot_record_the_callback(concern, cadre_a):
    resolved(concern, cadre_a)
    with pytest.raises(DomainError, match="the one who did the work does not grade it"):
        callback_services.feedback_record(
            concern=concern, by=cadre_a, version=concern.version, satisfaction="satisfied", channel="phone"
        )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED and not Feedback.objects.exists()


def test_leader_who_owns_it_cannot_grade_it_either(team_a, leader_branch, cadre_a):
    concern = ConcernFactory(unit=team_a, owner=leader_branch)
    resolved(concern, leader_branch)
    with pytest.raises(DomainError, match="does not grade it"):
        callback_services.feedback_record(
            concern=concern, by=leader_branch, version=concern.version, satisfaction="satisfied", channel="phone"
        )
    callback_services.feedback_record(
        concern=concern, by=cadre_a, version=concern.version, satisfaction="satisfied", channel="phone"
    )


def test_callback_only_when_resolved(concern, cadre_a, cadre_a2):
    for step in (None, started):
        if step:
            step(concern, cadre_a)
        with pytest.raises(DomainError, match="A callback is recorded once the concern is resolved"):
            callback_services.feedback_record(
                concern=concern, by=cadre_a2, version=concern.version, satisfaction="satisfied", channel="phone"
            )
    assert not Feedback.objects.exists()


def test_callback_refusals(concern, cadre_a, cadre_a2, cadre_b_other_team):
    resolved(concern, cadre_a)
    version = concern.version

    def record(**kwargs):
        arguments = {"concern": concern, "by": cadre_a2, "version": version, "satisfaction": "satisfied"}
        arguments["channel"] = "phone"
        callback_services.feedback_record(**{**arguments, **kwargs})

    with pytest.raises(DomainError, match="your own units"):
        record(by=cadre_b_other_team)
    with pytest.raises(DomainError, match="must come from the person themself"):
        record(by=None)
    with pytest.raises(DomainError, match="given by the person themself, not recorded"):
        record(channel="self_service")
    with pytest.raises(DomainError, match="cannot be dated in the future"):
        record(date=TODAY + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="how satisfied"):
        record(satisfaction="delighted")
    with pytest.raises(DomainError, match="how the callback was made"):
        record(channel="pigeon")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED and concern.version == version
    assert not Feedback.objects.exists()


def test_the_person_themself_gives_the_callback(concern, cadre_a):
    resolved(concern, cadre_a)
    feedback = callback_services.feedback_record(
        concern=concern, by=None, version=concern.version, satisfaction="basically", channel="self_service"
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and feedback.recorded_by is None
    assert concern.events.last().actor is None


# --- withdraw -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("start_first", [False, True])
def test_leader_withdraws_with_a_reason(concern, cadre_a, leader_branch, start_first):
    if start_first:
        started(concern, cadre_a)
    old = concern.status
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=concern.version, reason="A duplicate.")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.WITHDRAWN
    event = concern.events.last()
    assert (event.kind, event.actor, event.from_status, event.to_status, event.note) == (
        "withdrawn",
        leader_branch,
        old,
        "withdrawn",
        "A duplicate.",
    )


def test_withdraw_refusals(concern, cadre_a, leader_branch, leader_other_branch):
    with pytest.raises(DomainError, match="Only a leader of the concern's unit can withdraw it"):
        concern_services.concern_withdraw(concern=concern, by=cadre_a, version=1, reason="Mine.")
    with pytest.raises(DomainError, match="your own units"):
        concern_services.concern_withdraw(concern=concern, by=leader_other_branch, version=1, reason="No.")
    with pytest.raises(DomainError, match="Give the reason"):
        concern_services.concern_withdraw(concern=concern, by=leader_branch, version=1, reason="  ")
    resolved(concern, cadre_a)
    with pytest.raises(DomainError, match="Only an open or in-progress concern can be withdrawn"):
        concern_services.concern_withdraw(concern=concern, by=leader_branch, version=concern.version, reason="Late.")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED


def test_withdrawn_is_final(concern, cadre_a, leader_branch):
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=1, reason="Raised in error.")
    with pytest.raises(DomainError, match="Only an open concern can be started"):
        started(concern, cadre_a)


# --- reassign and due date ----------------------------------------------------------------------------


def test_leader_reassigns_to_someone_in_the_unit(concern, leader_branch, cadre_a2):
    concern_services.concern_reassign(
        concern=concern, by=leader_branch, version=1, owner=cadre_a2, note="Lives nearby."
    )
    concern.refresh_from_db()
    assert concern.owner == cadre_a2 and concern.version == 2
    event = concern.events.last()
    assert event.kind == "reassigned" and event.public is False
    assert event.note == "王伟 → 赵强: Lives nearby."


def test_reassign_to_a_member_of_a_unit_above(concern, leader_branch):
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=1, owner=leader_branch)
    concern.refresh_from_db()
    assert concern.owner == leader_branch


def test_reassign_refusals(concern, cadre_a, cadre_a2, leader_branch, cadre_b_other_team):
    with pytest.raises(DomainError, match="Only a leader of the concern's unit can change its owner"):
        concern_services.concern_reassign(concern=concern, by=cadre_a, version=1, owner=cadre_a2)
    with pytest.raises(DomainError, match="must work in the concern's unit"):
        concern_services.concern_reassign(concern=concern, by=leader_branch, version=1, owner=cadre_b_other_team)
    with pytest.raises(DomainError, match="already owns this concern"):
        concern_services.concern_reassign(concern=concern, by=leader_branch, version=1, owner=cadre_a)
    cadre_a2.is_active = False
    cadre_a2.save()
    with pytest.raises(DomainError, match="must work in the concern's unit"):
        concern_services.concern_reassign(concern=concern, by=leader_branch, version=1, owner=cadre_a2)
    concern.refresh_from_db()
    assert concern.owner == cadre_a and concern.version == 1


def test_leader_moves_the_due_date(concern, leader_branch):
    new = TODAY + datetime.timedelta(days=60)
    old = concern.due_date
    concern_services.concern_set_due(concern=concern, by=leader_branch, version=1, due_date=new, note="Parts on order.")
    concern.refresh_from_db()
    assert concern.due_date == new
    assert concern.events.last().note == f"{old.isoformat()} → {new.isoformat()}: Parts on order."


def test_set_due_refusals(concern, cadre_a, leader_branch):
    with pytest.raises(DomainError, match="Only a leader of the concern's unit can change its due date"):
        concern_services.concern_set_due(concern=concern, by=cadre_a, version=1, due_date=TODAY, note="")
    with pytest.raises(DomainError, match="cannot be in the past"):
        concern_services.concern_set_due(
            concern=concern, by=leader_branch, version=1, due_date=TODAY - datetime.timedelta(days=1), note=""
        )
    with pytest.raises(DomainError, match="already due on that date"):
        concern_services.concern_set_due(
            concern=concern, by=leader_branch, version=1, due_date=concern.due_date, note=""
        )
    assert concern.events.count() == 1


# --- actions ------------------------------------------------------------------------------------------


def test_any_member_adds_an_action(concern, cadre_a2, cadre_a):
    action = action_services.action_add(
        concern=concern, by=cadre_a2, description="Order a ballast.", owner=cadre_a, due_date=TODAY
    )
    assert action.created_by == cadre_a2 and action.owner == cadre_a and action.done_at is None
    event = concern.events.last()
    assert event.kind == "action_added" and event.public is False and "Order a ballast." in event.note
    concern.refresh_from_db()
    assert concern.version == 1  # an action does not make open pages stale


def test_action_add_refusals(concern, cadre_a, cadre_b_other_team, leader_branch):
    def add(**kwargs):
        arguments = {"concern": concern, "by": cadre_a, "description": "Call.", "owner": cadre_a, "due_date": TODAY}
        return action_services.action_add(**{**arguments, **kwargs})

    with pytest.raises(DomainError, match="your own units"):
        add(by=cadre_b_other_team)
    with pytest.raises(DomainError, match="action's owner must work in the concern's unit"):
        add(owner=cadre_b_other_team)
    with pytest.raises(DomainError, match="Describe the action"):
        add(description=" ")
    with pytest.raises(DomainError, match="cannot be due in the past"):
        add(due_date=TODAY - datetime.timedelta(days=1))
    add()
    with pytest.raises(DomainError, match="already on the list"):
        add()
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=1, reason="Duplicate.")
    with pytest.raises(DomainError, match="Actions are added only to an open or in-progress concern"):
        add(description="Another.")
    assert FollowUpAction.objects.count() == 1


@pytest.mark.parametrize("who", ["action_owner", "concern_owner", "leader"])
def test_action_complete(concern, cadre_a, cadre_a2, leader_branch, who):
    action = FollowUpActionFactory(concern=concern, owner=cadre_a2)
    by = {"action_owner": cadre_a2, "concern_owner": cadre_a, "leader": leader_branch}[who]
    action_services.action_complete(action=action, by=by, outcome=" Ordered. ")
    action.refresh_from_db()
    assert action.done_at == NOW and action.outcome == "Ordered."
    event = concern.events.last()
    assert event.kind == "action_done" and event.actor == by and event.public is False


def test_action_complete_refusals(concern, cadre_a, cadre_a2, cadre_b_other_team, team_a):
    action = FollowUpActionFactory(concern=concern, owner=cadre_a)
    for outsider in (cadre_a2, cadre_b_other_team):
        with pytest.raises(DomainError, match="Only the action's owner"):
            action_services.action_complete(action=action, by=outsider, outcome="Done.")
    with pytest.raises(DomainError, match="Say what came of the action"):
        action_services.action_complete(action=action, by=cadre_a, outcome="")
    action_services.action_complete(action=action, by=cadre_a, outcome="Done.")
    with pytest.raises(DomainError, match="already marked done"):
        action_services.action_complete(action=action, by=cadre_a, outcome="Again.")
    action.refresh_from_db()
    assert action.outcome == "Done."
    assert concern.events.filter(kind="action_done").count() == 1


# --- optimistic locking -------------------------------------------------------------------------------


def test_the_second_of_two_saves_on_the_same_version_is_refused(concern, cadre_a, leader_branch):
    first = Concern.objects.get(pk=concern.pk)
    second = Concern.objects.get(pk=concern.pk)
    assert first.version == second.version == 1
    concern_services.concern_start(concern=first, by=cadre_a, version=first.version)
    with pytest.raises(ConcernConflict) as refused:
        concern_services.concern_assess(concern=second, by=leader_branch, version=1, solvability="policy")
    message = str(refused.value)
    assert "Someone else changed this concern after you loaded it" in message
    assert "Work started by 王伟 at 2026-11-10 10:00" in message
    assert "It is now “In progress”" in message
    assert "Nothing you entered was saved" in message
    concern.refresh_from_db()
    assert concern.solvability == "" and concern.version == 2
    assert kinds(concern) == ["raised", "started"]


def test_conflict_lists_every_change_missed(concern, cadre_a, cadre_a2, leader_branch):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=2, resolution="Fixed.")
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=3, satisfaction="satisfied", channel="phone"
    )
    with pytest.raises(ConcernConflict) as refused:
        concern_services.concern_withdraw(concern=concern, by=leader_branch, version=2, reason="Stale page.")
    message = str(refused.value)
    assert "Work started" not in message  # that was before version 2
    assert "Resolved by 王伟" in message
    assert "Callback recorded by 赵强" in message and "Closed by 赵强" in message
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED


def test_repeated_submit_of_the_same_transition_changes_nothing(concern, cadre_a):
    started(concern, cadre_a)
    stale = Concern.objects.get(pk=concern.pk)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=2, resolution="First.")
    with pytest.raises(ConcernConflict):
        concern_services.concern_resolve(concern=stale, by=cadre_a, version=2, resolution="Second.")
    concern.refresh_from_db()
    assert concern.resolution == "First." and concern.version == 3
    assert kinds(concern).count("resolved") == 1


def test_the_update_itself_checks_the_version(concern, cadre_a, monkeypatch):
    """Even if the row lock were missing (as on SQLite), UPDATE ... WHERE version refuses a lost update."""
    real_lock = concern_services._lock

    def lock_then_someone_writes(concern_, *, version):
        real_lock(concern_, version=version)
        Concern.objects.filter(pk=concern_.pk).update(version=version + 1)

    monkeypatch.setattr(concern_services, "_lock", lock_then_someone_writes)
    with pytest.raises(ConcernConflict):
        started(concern, cadre_a)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN
    assert kinds(concern) == ["raised"]


def test_services_update_the_object_passed_in(concern, cadre_a):
    returned = started(concern, cadre_a)
    assert returned is concern
    assert concern.status == Concern.Status.IN_PROGRESS and concern.version == 2


# --- who may do what ----------------------------------------------------------------------------------


def test_allowed_transitions(concern, cadre_a, cadre_a2, leader_branch, cadre_b_other_team):
    allowed = permissions.concern_allowed_transitions
    assert allowed(concern, cadre_a) == ["start", "assess", "add_action"]
    assert allowed(concern, leader_branch) == [
        "start",
        "assess",
        "withdraw",
        "reassign",
        "set_due",
        "transfer",
        "add_action",
    ]
    assert allowed(concern, cadre_a2) == ["add_action"]
    assert allowed(concern, cadre_b_other_team) == []
    started(concern, cadre_a)
    assert allowed(concern, cadre_a) == ["resolve", "assess", "add_action"]
    resolved(concern, cadre_a)
    assert allowed(concern, cadre_a) == []
    assert allowed(concern, cadre_a2) == ["callback"]
    assert allowed(concern, leader_branch) == ["callback"]
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=concern.version, satisfaction="satisfied", channel="phone"
    )
    assert allowed(concern, leader_branch) == []


def test_the_whole_life_of_a_concern_is_on_the_record(concern, cadre_a, cadre_a2, leader_branch):
    concern_services.concern_assess(concern=concern, by=cadre_a, version=1, solvability="now")
    started(concern, cadre_a)
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=concern.version, owner=cadre_a2)
    concern_services.concern_resolve(concern=concern, by=cadre_a2, version=concern.version, resolution="Rewired.")
    callback_services.feedback_record(
        concern=concern, by=cadre_a, version=concern.version, satisfaction="dissatisfied", channel="phone"
    )
    concern_services.concern_resolve(concern=concern, by=cadre_a2, version=concern.version, resolution="Rewired again.")
    callback_services.feedback_record(
        concern=concern, by=leader_branch, version=concern.version, satisfaction="satisfied", channel="in_person"
    )
    rows = list(concern.events.values_list("kind", "actor__username", "from_status", "to_status"))
    assert rows == [
        ("raised", "cadre_a", "", "open"),
        ("assessed", "cadre_a", "", ""),
        ("started", "cadre_a", "open", "in_progress"),
        ("reassigned", "leader_branch", "", ""),
        ("resolved", "cadre_a2", "in_progress", "resolved"),
        ("callback", "cadre_a", "", ""),
        ("reopened", "cadre_a", "resolved", "in_progress"),
        ("resolved", "cadre_a2", "in_progress", "resolved"),
        ("callback", "leader_branch", "", ""),
        ("closed", "leader_branch", "resolved", "closed"),
    ]
    concern.refresh_from_db()
    assert concern.version == 8 and concern.reopen_count == 1 and concern.status == "closed"


def test_events_are_immutable(concern):
    from django.core.exceptions import ValidationError

    event = concern.events.get()
    event.note = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


# --- raising a concern outside a visit ----------------------------------------------------------------


def test_concern_raise(team_a, cadre_a, leader_branch, cadre_a2, cadre_b_other_team):
    data = ConcernInput(title="Boots", category=category())
    mine = concern_services.concern_raise(by=cadre_a, unit=team_a, data=data)
    assert mine.owner == cadre_a and mine.source == Concern.Source.OTHER and mine.created_by == cadre_a
    given = concern_services.concern_raise(by=leader_branch, unit=team_a, data=data, owner=cadre_a2)
    assert given.owner == cadre_a2
    with pytest.raises(DomainError, match="Only a leader of the unit can give"):
        concern_services.concern_raise(by=cadre_a, unit=team_a, data=data, owner=cadre_a2)
    with pytest.raises(DomainError, match="owner must work in this unit"):
        concern_services.concern_raise(by=leader_branch, unit=team_a, data=data, owner=cadre_b_other_team)
    with pytest.raises(DomainError, match="your own units"):
        concern_services.concern_raise(by=cadre_b_other_team, unit=team_a, data=data)
    assert Concern.objects.count() == 2
