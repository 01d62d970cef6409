"""The admin's world: a branch and another branch, each with a record of every kind, and staff users.

`staff_branch` leads `branch` and is staff with every permission there is (the worst case a
careless grant makes); `keeper` is a superuser, who sees everything."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from fieldwork.models import Concern, ExtensionRequest, Feedback, FollowUpAction, Membership, Unit, Visit
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import visits as visit_services
from tests.factories import MembershipFactory, UserFactory, category


@dataclass
class Records:
    """One record of each kind in a unit, made through the services."""

    unit: Unit
    cadre: object
    leader: object
    membership: Membership
    visit: Visit
    concern: Concern  # open, owned by the cadre, with an action and an extension request
    action: FollowUpAction
    extension: ExtensionRequest
    resolved: Concern  # resolved and then called back: a feedback
    feedback: Feedback


def records_in(unit: Unit, name: str) -> Records:
    cadre = UserFactory(username=f"cadre_{name}", first_name=name, last_name="Cadre")
    leader = UserFactory(username=f"leader_{name}", first_name=name, last_name="Leader")
    membership = MembershipFactory(user=cadre, unit=unit, role=Membership.Role.CADRE)
    MembershipFactory(user=leader, unit=unit, role=Membership.Role.LEADER)
    visit = visit_services.visit_record(
        by=cadre, unit=unit, date=timezone.localdate(), form=Visit.Form.SYMPOSIUM, people_reached=3, summary="Canteen"
    )
    data = concern_services.ConcernInput(
        title=f"Canteen of {name}", category=category(), raised_by_contact="13900001111"
    )
    concern = concern_services.concern_raise(by=cadre, unit=unit, data=data)
    action = action_services.action_add(
        concern=concern, by=cadre, description="Call the cook", owner=cadre, due_date=timezone.localdate()
    )
    extension = extension_services.extension_request(
        concern=concern,
        by=cadre,
        requested_due_date=concern.due_date + datetime.timedelta(days=10),
        reason="Parts on order",
    )
    resolved = concern_services.concern_raise(
        by=cadre, unit=unit, data=concern_services.ConcernInput(title=f"Lights of {name}", category=category())
    )
    concern_services.concern_start(concern=resolved, by=cadre, version=resolved.version)
    concern_services.concern_resolve(concern=resolved, by=cadre, version=resolved.version, resolution="Fixed")
    callback_services.feedback_record(
        concern=resolved,
        by=leader,
        version=resolved.version,
        satisfaction=Feedback.Satisfaction.SATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    concern.refresh_from_db()
    return Records(
        unit=unit,
        cadre=cadre,
        leader=leader,
        membership=membership,
        visit=visit,
        concern=concern,
        action=action,
        extension=extension,
        resolved=resolved,
        feedback=resolved.feedback.get(),
    )


@pytest.fixture
def mine(team_a):
    return records_in(team_a, "mine")


@pytest.fixture
def theirs(other_branch):
    return records_in(other_branch, "theirs")


@pytest.fixture
def staff_branch(branch):
    """A leader of the branch who is staff with every permission of every model."""
    user = UserFactory(username="staff_branch", is_staff=True)
    MembershipFactory(user=user, unit=branch, role=Membership.Role.LEADER)
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture
def keeper(db):
    return UserFactory(username="keeper", is_staff=True, is_superuser=True)
