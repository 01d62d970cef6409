"""Resolving sets the day a concern joins the callback queue (callback_from) and its deadline
(callback_due) in one place: a concern not raised in public joins at once; a public one with a contact
after the person's own window to answer on the tracking page (PUBLIC_ANSWER_DAYS working days); a public
one without a contact never, and closes as no answer after PUBLIC_NO_ANSWER_DAYS working days."""

import pytest

from fieldwork import workdays
from fieldwork.models import Concern, Feedback
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services

from .helpers import D, public_concern, resolve, staff_concern


@pytest.mark.clock(2026, 12, 1)  # a Tuesday
def test_not_public_joins_the_queue_the_day_it_is_resolved(team_a, cadre_a):
    concern = resolve(staff_concern(team_a, cadre_a), cadre_a)
    assert (concern.callback_from, concern.callback_due) == (D(2026, 12, 1), D(2026, 12, 4))


@pytest.mark.clock(2026, 12, 1)
def test_public_with_a_contact_joins_after_the_persons_window(team_a, leader_team_a):
    concern, _code = public_concern(team_a)
    concern = resolve(concern, leader_team_a)
    # Three working days for the person (2, 3, 4 December), then three for the call (7, 8, 9).
    assert (concern.callback_from, concern.callback_due) == (D(2026, 12, 4), D(2026, 12, 9))
    assert concern_services.public_answer_until(concern) == D(2026, 12, 3)


@pytest.mark.clock(2026, 12, 1)
def test_public_without_a_contact_never_joins_and_waits_ten_working_days(team_a, leader_team_a):
    concern, _code = public_concern(team_a, contact="")
    concern = resolve(concern, leader_team_a)
    assert concern.callback_from is None
    assert concern.callback_due == D(2026, 12, 15)  # 2–4, 7–11, 14, 15 December
    assert concern_services.public_answer_until(concern) == D(2026, 12, 15)


@pytest.mark.clock(2026, 12, 31)  # a Thursday; New Year's Day 2027 is a holiday
def test_next_year_and_the_new_year_holiday_are_counted_as_non_working_days(team_a, leader_team_a):
    assert not workdays.is_working_day(D(2027, 1, 1))
    with_contact = resolve(public_concern(team_a)[0], leader_team_a)
    # 1 January (holiday), 2 and 3 (weekend) do not count: 4, 5, 6 January for the person; 7, 8, 11 for the call.
    assert (with_contact.callback_from, with_contact.callback_due) == (D(2027, 1, 6), D(2027, 1, 11))
    without = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    assert (without.callback_from, without.callback_due) == (None, D(2027, 1, 15))  # 4–8, 11–15 January


@pytest.mark.clock(2026, 12, 1)
def test_the_settings_decide_the_windows(settings, team_a, leader_team_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "PUBLIC_ANSWER_DAYS": 1, "PUBLIC_NO_ANSWER_DAYS": 2}
    with_contact = resolve(public_concern(team_a)[0], leader_team_a)
    assert (with_contact.callback_from, with_contact.callback_due) == (D(2026, 12, 2), D(2026, 12, 7))
    without = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    assert (without.callback_from, without.callback_due) == (None, D(2026, 12, 3))


def test_feedback_keeps_the_deadline_of_its_moment(clock, team_a, cadre_a, cadre_a2):
    clock.set(2026, 12, 1)
    concern = resolve(staff_concern(team_a, cadre_a), cadre_a)
    clock.set(2026, 12, 7)  # a working day late
    feedback = callback_services.feedback_record(
        concern=concern,
        by=cadre_a2,
        version=concern.version,
        satisfaction=Feedback.Satisfaction.SATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    feedback.refresh_from_db()
    concern.refresh_from_db()
    assert feedback.due_date == D(2026, 12, 4)
    assert (concern.status, concern.callback_from, concern.callback_due) == (Concern.Status.CLOSED, None, None)


def test_a_reopened_public_concern_resolved_again_gets_a_fresh_window(clock, team_a, leader_team_a):
    clock.set(2026, 12, 1)
    concern = resolve(public_concern(team_a)[0], leader_team_a)
    clock.set(2026, 12, 2)
    feedback = callback_services.feedback_record(
        concern=concern,
        by=None,
        version=concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.SELF_SERVICE,
    )
    concern.refresh_from_db()
    assert feedback.due_date == D(2026, 12, 9)
    assert (concern.status, concern.callback_from, concern.callback_due) == (Concern.Status.IN_PROGRESS, None, None)
    clock.set(2026, 12, 8)
    concern = resolve(concern, leader_team_a)
    assert (concern.callback_from, concern.callback_due) == (D(2026, 12, 11), D(2026, 12, 16))
