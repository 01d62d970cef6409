"""Late callbacks climb their own ladder in send_reminders: a reminder on the deadline, a chase (催办)
to the callers on the first working day after it, then the leaders one level up; each rung once per
resolution, on working days only, never the due date's rungs, never supervision."""

import datetime

import pytest
from django.utils import timezone

from fieldwork import callback_ladder
from fieldwork import ladder as due_ladder
from fieldwork.models import Concern, Feedback
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from tests.chasing.ladder_helpers import D, K, mails_to, run
from tests.factories import category

# Resolved on Monday 28 September 2026: the callback is due three working days later, Thursday
# 8 October (29 and 30 September, then National Day, 1–7 October, is off).
pytestmark = pytest.mark.clock(2026, 9, 28, 9, 0)
DUE = D(2026, 10, 8)


def rungs(concern) -> list[tuple[str, datetime.date]]:
    events = concern.events.filter(kind__in=callback_ladder.CALLBACK_KINDS).order_by("created_at", "id")
    return [(event.kind, timezone.localtime(event.created_at).date()) for event in events]


def run_days(clock, first: datetime.date, last: datetime.date) -> None:
    day = first
    while day <= last:
        run(clock, day)
        run(clock, day)  # a second run the same day writes and sends nothing more
        day += datetime.timedelta(days=1)


def test_each_rung_once_on_its_working_day(clock, resolved_concern, cadre_a2, leader_team_a, leader_branch):
    assert resolved_concern.callback_due == DUE
    run_days(clock, D(2026, 9, 28), D(2026, 10, 20))
    assert rungs(resolved_concern) == [
        (K.CALLBACK_REMINDER, D(2026, 10, 8)),  # the deadline day
        (K.CALLBACK_CHASE, D(2026, 10, 9)),  # the first working day after it
        (K.CALLBACK_ESCALATE, D(2026, 10, 12)),  # two working days later: 10 (a Saturday worked), 12
    ]
    resolved_concern.refresh_from_db()
    assert resolved_concern.supervised_at is None  # a late callback is not supervision
    assert not resolved_concern.events.filter(kind__in=due_ladder.LADDER_KINDS).exists()
    events = list(resolved_concern.events.filter(kind__in=callback_ladder.CALLBACK_KINDS))
    assert all(event.actor is None and not event.public for event in events)
    assert events[1].note == "Callback due 2026-10-08, 1 working day late. Chased: sent to 赵强、陈军."


def test_recipients_callers_then_the_leaders_above(
    clock, resolved_concern, cadre_a, cadre_a2, leader_team_a, leader_branch, leader_company
):
    run(clock, D(2026, 10, 8))
    reference = resolved_concern.reference
    assert [reference in message.body for message in mails_to(cadre_a2)] == [True]
    assert [reference in message.body for message in mails_to(leader_team_a)] == [True]
    assert not any(reference in message.body for message in mails_to(cadre_a))  # never the owner
    assert not any(reference in message.body for message in mails_to(leader_branch))
    run(clock, D(2026, 10, 9))
    assert "Callback chased" in mails_to(cadre_a2)[-1].body
    run(clock, D(2026, 10, 12))
    escalated = [message for message in mails_to(leader_branch) if reference in message.body]
    assert len(escalated) == 1 and "Late callback sent to the leaders above" in escalated[0].body
    assert not any(reference in message.body for message in mails_to(leader_company))


def test_nearest_unit_above_when_the_own_unit_has_nobody_else(
    clock, sub_a, cadre_a, cadre_a2, leader_team_a, leader_branch
):
    concern = concern_services.concern_create(
        unit=sub_a,
        data=concern_services.ConcernInput(title="Fence broken", category=category()),
        by=cadre_a,
        owner=cadre_a,
    )
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=concern.version, resolution="Fixed.")
    level, people = callback_ladder.callback_callers(concern)
    assert level.pk == sub_a.parent_id and {user.pk for user in people} == {cadre_a2.pk, leader_team_a.pk}
    recipients, unit = callback_ladder.callback_recipients(
        concern, K.CALLBACK_ESCALATE, callers=callback_ladder.Callers(), leaders=due_ladder.LeaderMap.load()
    )
    assert [user.pk for user in recipients] == [leader_branch.pk] and unit.pk == leader_branch.memberships.get().unit_id


def test_no_rung_on_a_day_off_nor_before_the_deadline(clock, resolved_concern, cadre_a2):
    run_days(clock, D(2026, 9, 28), D(2026, 10, 7))
    assert rungs(resolved_concern) == []


def test_a_callback_in_time_stops_the_ladder(clock, resolved_concern, cadre_a2):
    run(clock, D(2026, 10, 8))
    callback_services.feedback_record(
        concern=resolved_concern,
        by=cadre_a2,
        version=resolved_concern.version,
        satisfaction=Feedback.Satisfaction.SATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    run_days(clock, D(2026, 10, 9), D(2026, 10, 20))
    assert [kind for kind, _day in rungs(resolved_concern)] == [K.CALLBACK_REMINDER]


def test_a_new_resolution_starts_a_new_ladder(clock, resolved_concern, cadre_a, cadre_a2):
    run_days(clock, D(2026, 10, 8), D(2026, 10, 9))
    clock.on(D(2026, 10, 9), hour=10)
    callback_services.feedback_record(
        concern=resolved_concern,
        by=cadre_a2,
        version=resolved_concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    concern_services.concern_resolve(
        concern=resolved_concern, by=cadre_a, version=resolved_concern.version, resolution="Fixed again."
    )
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.RESOLVED
    assert resolved_concern.callback_due == D(2026, 10, 13)  # 10 (a Saturday worked), 12, 13
    run_days(clock, D(2026, 10, 12), D(2026, 10, 15))
    assert rungs(resolved_concern)[2:] == [
        (K.CALLBACK_REMINDER, resolved_concern.callback_due),
        (K.CALLBACK_CHASE, D(2026, 10, 14)),
    ]
