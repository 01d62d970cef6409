"""Raising a concern through the service (concern_raise): the raiser owns it unless a leader of the unit gives
it to one of its members; anyone else giving it, or raising outside their units, is refused."""

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import category

pytestmark = pytest.mark.clock(2026, 11, 10)


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
