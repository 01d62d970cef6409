"""Follow-up actions on a concern: adding one and marking it done, with their refusals."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import FollowUpAction
from fieldwork.services import actions as action_services
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import NOW, TODAY
from tests.factories import FollowUpActionFactory

pytestmark = pytest.mark.clock(2026, 11, 10)


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
    # the owner's first action took the concern up (a new version): withdraw what is there now
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=concern.version, reason="Duplicate.")
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
