"""A leader moves a concern's due date, and the refusals."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import TODAY

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_leader_moves_the_due_date(concern, leader_branch):
    new = TODAY + datetime.timedelta(days=60)
    old = concern.due_date
    concern_services.concern_set_due(concern=concern, by=leader_branch, version=1, due_date=new, note="Parts on order.")
    concern.refresh_from_db()
    assert concern.due_date == new
    event = concern.events.last()
    assert (event.note, event.data) == ("Parts on order.", {"old_due": old.isoformat(), "new_due": new.isoformat()})


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
