"""A leader sees the unassigned concerns of the units they lead; a cadre does not."""

import pytest

from fieldwork import selectors
from fieldwork.models import Concern
from tests.factories import UnitFactory, UserFactory
from tests.my_work.helpers import TODAY, URL, keys, mine

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_leader_sees_unassigned_concerns_of_their_units(client_for, team_a, sub_a, team_b, leader_branch):
    public = mine(sub_a, None, 3, source=Concern.Source.PUBLIC)
    plain = mine(team_b, None, -1)
    mine(team_a, UserFactory(), -1)  # has an owner
    mine(team_a, None, -1, status=Concern.Status.WITHDRAWN)  # not active
    elsewhere = UnitFactory()  # outside the branch
    mine(elsewhere, None, -1)

    response = client_for(leader_branch).get(URL)

    assert keys(response.context["unassigned"]) == [("concern", plain.pk), ("concern", public.pk)]
    html = response.content.decode()
    assert 'id="section-unassigned"' in html
    assert "public" in html


def test_leader_sees_unassigned_only_where_they_lead(team_a, team_b, cadre_a):
    from fieldwork.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(user=cadre_a, unit=team_b, role=Membership.Role.LEADER)
    led = mine(team_b, None, 1)
    mine(team_a, None, 1)  # cadre_a is only a cadre here

    work = selectors.my_work(user=cadre_a, today=TODAY)

    assert keys(work["unassigned"]) == [("concern", led.pk)]


def test_cadre_does_not_see_unassigned(client_for, team_a, cadre_a):
    mine(team_a, None, -1)

    response = client_for(cadre_a).get(URL)

    assert response.context["unassigned"] is None
    assert 'id="section-unassigned"' not in response.content.decode()
