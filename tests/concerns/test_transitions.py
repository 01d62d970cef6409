"""Which steps each status allows, for whom (permissions.concern_rights)."""

import pytest

from fieldwork import permissions
from fieldwork.services import callbacks as callback_services
from tests.concerns.helpers import resolved, started

pytestmark = pytest.mark.clock(2026, 11, 10)


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
    assert allowed(concern, cadre_a2) == ["callback", "attempt"]
    # closing as unreachable needs the attempts too (services.callbacks.unreachable_refusal)
    assert allowed(concern, leader_branch) == ["callback", "attempt", "unreachable"]
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=concern.version, satisfaction="satisfied", channel="phone"
    )
    assert allowed(concern, leader_branch) == []
