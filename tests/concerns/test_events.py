"""The concern's life on the record: one immutable event per step."""

import pytest

from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import started

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_the_whole_life_of_a_concern_is_on_the_record(concern, cadre_a, cadre_a2, leader_branch):
    concern_services.concern_assess(concern=concern, by=cadre_a, version=1, solvability="now")
    started(concern, cadre_a)
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=concern.version, owner=cadre_a2)
    concern_services.concern_resolve(concern=concern, by=cadre_a2, version=concern.version, resolution="Rewired.")
    callback_services.feedback_record(
        concern=concern, by=cadre_a, version=concern.version, satisfaction="dissatisfied", channel="phone"
    )
    concern_services.concern_resolve(concern=concern, by=cadre_a2, version=concern.version, resolution="Rewired again.")
    callback_services.feedback_record(
        concern=concern, by=leader_branch, version=concern.version, satisfaction="satisfied", channel="in_person"
    )
    rows = list(concern.events.values_list("kind", "actor__username", "from_status", "to_status"))
    assert rows == [
        ("raised", "cadre_a", "", "open"),
        ("assessed", "cadre_a", "", ""),
        ("started", "cadre_a", "open", "in_progress"),
        ("reassigned", "leader_branch", "", ""),
        ("resolved", "cadre_a2", "in_progress", "resolved"),
        ("callback", "cadre_a", "", ""),
        ("reopened", "cadre_a", "resolved", "in_progress"),
        ("resolved", "cadre_a2", "in_progress", "resolved"),
        ("callback", "leader_branch", "", ""),
        ("closed", "leader_branch", "resolved", "closed"),
    ]
    concern.refresh_from_db()
    assert concern.version == 8 and concern.reopen_count == 1 and concern.status == "closed"


def test_events_are_immutable(concern):
    from django.core.exceptions import ValidationError

    event = concern.events.get()
    event.note = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
