"""Who may not record a callback, and when none may be recorded."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern, Feedback
from fieldwork.services import callbacks as callback_services
from tests.concerns.helpers import TODAY, resolved, started
from tests.factories import ConcernFactory

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_owner_cannot_record_the_callback(resolved_concern, cadre_a):
    concern = resolved_concern
    with pytest.raises(DomainError, match="the one who did the work does not grade it"):
        callback_services.feedback_record(
            concern=concern, by=cadre_a, version=concern.version, satisfaction="satisfied", channel="phone"
        )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED and not Feedback.objects.exists()


def test_leader_who_owns_it_cannot_grade_it_either(team_a, leader_branch, cadre_a):
    concern = ConcernFactory(unit=team_a, owner=leader_branch)
    resolved(concern, leader_branch)
    with pytest.raises(DomainError, match="does not grade it"):
        callback_services.feedback_record(
            concern=concern, by=leader_branch, version=concern.version, satisfaction="satisfied", channel="phone"
        )
    callback_services.feedback_record(
        concern=concern, by=cadre_a, version=concern.version, satisfaction="satisfied", channel="phone"
    )


def test_callback_only_when_resolved(concern, cadre_a, cadre_a2):
    for step in (None, started):
        if step:
            step(concern, cadre_a)
        with pytest.raises(DomainError, match="A callback is recorded once the concern is resolved"):
            callback_services.feedback_record(
                concern=concern, by=cadre_a2, version=concern.version, satisfaction="satisfied", channel="phone"
            )
    assert not Feedback.objects.exists()


def test_callback_refusals(resolved_concern, cadre_a, cadre_a2, cadre_b_other_team):
    concern = resolved_concern
    version = concern.version

    def record(**kwargs):
        arguments = {"concern": concern, "by": cadre_a2, "version": version, "satisfaction": "satisfied"}
        arguments["channel"] = "phone"
        callback_services.feedback_record(**{**arguments, **kwargs})

    with pytest.raises(DomainError, match="your own units"):
        record(by=cadre_b_other_team)
    with pytest.raises(DomainError, match="must come from the person themself"):
        record(by=None)
    with pytest.raises(DomainError, match="given by the person themself, not recorded"):
        record(channel="self_service")
    with pytest.raises(DomainError, match="cannot be dated in the future"):
        record(date=TODAY + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="how satisfied"):
        record(satisfaction="delighted")
    with pytest.raises(DomainError, match="how the callback was made"):
        record(channel="pigeon")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED and concern.version == version
    assert not Feedback.objects.exists()


def test_the_person_themself_gives_the_callback(resolved_concern, cadre_a):
    concern = resolved_concern
    feedback = callback_services.feedback_record(
        concern=concern, by=None, version=concern.version, satisfaction="basically", channel="self_service"
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and feedback.recorded_by is None
    assert concern.events.last().actor is None
