"""Taking up a concern (concern_start): the owner or a leader above starts an open concern; anyone else, or a
concern not open, is refused; the first take-up is what the response rate measures."""

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern, ConcernEvent
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import NOW, resolved, started
from tests.factories import ConcernFactory

pytestmark = pytest.mark.clock(2026, 11, 10)


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


def test_taken_up_at_is_the_first_take_up(concern, cadre_a, cadre_a2, clock):
    resolved(concern, cadre_a)
    clock.move(days=3)
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=concern.version, satisfaction="dissatisfied", channel="phone"
    )
    concern.refresh_from_db()
    assert concern.taken_up_at == NOW
