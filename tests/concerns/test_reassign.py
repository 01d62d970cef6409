"""Reassigning a concern to someone of its unit or a unit above, and the refusals."""

import pytest

from fieldwork.errors import DomainError
from fieldwork.services import concerns as concern_services

pytestmark = pytest.mark.clock(2026, 11, 10)


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
