"""Withdrawing a concern: a leader, with a reason; withdrawn is final."""

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import resolved, started

pytestmark = pytest.mark.clock(2026, 11, 10)


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
