"""The rollup tests' world and a baseline story told over it."""

import pytest

from fieldwork import rollups
from fieldwork.models import Membership
from tests.factories import MembershipFactory, UnitFactory, UserFactory, category, principle
from tests.rollups.helpers import World, baseline_story


@pytest.fixture
def world(company, branch, team_a, sub_a, team_b, other_branch):
    extra = UnitFactory(name="Team C", code="team-c", parent=other_branch)
    cadre = UserFactory(username="rollup_cadre")
    leader = UserFactory(username="rollup_leader")
    caller = UserFactory(username="rollup_caller")
    for user, role in ((cadre, Membership.Role.CADRE), (leader, Membership.Role.LEADER), (caller, "cadre")):
        MembershipFactory(user=user, unit=company, role=role)
    return World(
        units=[company, branch, team_a, sub_a, team_b, other_branch, extra],
        cadre=cadre,
        leader=leader,
        caller=caller,
        categories=[category("safety"), category("pay_benefits")],
        principles=[principle("pragmatism"), principle("integrity")],
    )


@pytest.fixture
def baseline(world, clock):
    story = baseline_story(world, clock)
    assert rollups.stored() == rollups.recount()
    return story
