"""The callback (回访) on a resolved concern: satisfied closes it, dissatisfied reopens it with a new due date."""

import datetime

import pytest

from fieldwork.errors import DomainError
from fieldwork.models import Concern, Feedback
from fieldwork.services import callbacks as callback_services
from tests.concerns.helpers import NOW, TODAY, kinds, resolved

pytestmark = pytest.mark.clock(2026, 11, 10)


@pytest.mark.parametrize("satisfaction", ["satisfied", "basically"])
def test_satisfied_callback_closes(resolved_concern, cadre_a, cadre_a2, satisfaction, clock):
    concern = resolved_concern
    clock.move(days=1)
    feedback = callback_services.feedback_record(
        concern=concern,
        by=cadre_a2,
        version=concern.version,
        satisfaction=satisfaction,
        channel="in_person",
        comment="The light is fine now.",
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert concern.closed_at == NOW + datetime.timedelta(days=1)
    assert feedback.recorded_by == cadre_a2 and feedback.date == TODAY + datetime.timedelta(days=1)
    assert feedback.satisfaction == satisfaction
    callback, closed = concern.events.order_by("id")[3:]
    assert callback.kind == "callback" and callback.note.endswith(": The light is fine now.")
    assert (closed.kind, closed.from_status, closed.to_status, closed.actor) == (
        "closed",
        "resolved",
        "closed",
        cadre_a2,
    )


def test_dissatisfied_callback_reopens_with_a_new_due_date(resolved_concern, cadre_a, cadre_a2, clock):
    concern = resolved_concern
    clock.move(days=5)
    callback_services.feedback_record(
        concern=concern,
        by=cadre_a2,
        version=concern.version,
        satisfaction="dissatisfied",
        channel="phone",
        comment="Still flickers at night.",
    )
    concern.refresh_from_db()
    today = TODAY + datetime.timedelta(days=5)
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.reopen_count == 1
    assert concern.resolved_at is None
    assert today == datetime.date(2026, 11, 15)  # a Sunday
    # normal priority: 30 working days, six Monday-to-Friday weeks
    assert concern.due_date == datetime.date(2026, 12, 25)
    assert concern.resolution == "Replaced the ballast."  # kept: the earlier attempt stays on record
    assert kinds(concern) == ["raised", "started", "resolved", "callback", "reopened"]
    callback, reopened = concern.events.order_by("id")[3:]
    assert callback.note == "Dissatisfied: Still flickers at night." and callback.actor == cadre_a2
    assert (reopened.from_status, reopened.to_status) == ("resolved", "in_progress")
    assert reopened.data == {"new_due": "2026-12-25"} and reopened.text == "New due date: 25 Dec 2026"
    assert Feedback.objects.get().satisfaction == "dissatisfied"

    # The work goes round again and the second callback closes it; the count stays.
    resolved(concern, cadre_a)
    callback_services.feedback_record(
        concern=concern, by=cadre_a2, version=concern.version, satisfaction="satisfied", channel="phone"
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED and concern.reopen_count == 1
    assert kinds(concern)[-3:] == ["resolved", "callback", "closed"]


def test_dissatisfied_with_a_chosen_due_date_and_priority_days(concern, cadre_a, leader_branch, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "DUE_DAYS": {"urgent": 3, "normal": 11, "long_term": 60}}
    resolved(concern, cadre_a)
    with pytest.raises(DomainError, match="new due date cannot be in the past"):
        callback_services.feedback_record(
            concern=concern,
            by=leader_branch,
            version=concern.version,
            satisfaction="dissatisfied",
            channel="phone",
            new_due_date=TODAY - datetime.timedelta(days=1),
        )
    callback_services.feedback_record(
        concern=concern,
        by=leader_branch,
        version=concern.version,
        satisfaction="dissatisfied",
        channel="phone",
        new_due_date=TODAY + datetime.timedelta(days=4),
    )
    concern.refresh_from_db()
    assert concern.due_date == TODAY + datetime.timedelta(days=4)
    assert Feedback.objects.count() == 1  # the refused one left nothing behind
