"""The callback deadline: CALLBACK_LIMIT_DAYS working days after the resolution, on the official
calendar; set when resolved, cleared when the concern leaves `resolved`, shown on the concern."""

import datetime

import pytest

from fieldwork import workdays
from fieldwork.models import Concern, Feedback
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services


def _resolve(concern, by):
    if concern.status == Concern.Status.OPEN:
        concern_services.concern_start(concern=concern, by=by, version=concern.version)
    return concern_services.concern_resolve(concern=concern, by=by, version=concern.version, resolution="Done.")


@pytest.mark.clock(2026, 12, 1)
def test_resolving_sets_the_deadline_three_working_days_later(concern, cadre_a):
    _resolve(concern, cadre_a)
    concern.refresh_from_db()
    assert concern.callback_due == datetime.date(2026, 12, 4)  # Tuesday → Friday


@pytest.mark.clock(2026, 12, 31)
def test_deadline_in_next_year_skips_the_new_year_holiday(concern, cadre_a):
    assert not workdays.is_working_day(datetime.date(2027, 1, 1))
    _resolve(concern, cadre_a)
    concern.refresh_from_db()
    # Thursday 31 December: New Year's Day and the weekend do not count; Mon 4, Tue 5, Wed 6 January.
    assert concern.callback_due == datetime.date(2027, 1, 6)


@pytest.mark.clock(2026, 12, 1)
def test_the_setting_decides_how_many_working_days(settings, concern, cadre_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "CALLBACK_LIMIT_DAYS": 1}
    _resolve(concern, cadre_a)
    concern.refresh_from_db()
    assert concern.callback_due == datetime.date(2026, 12, 2)


@pytest.mark.clock(2026, 12, 1)
def test_a_satisfied_callback_clears_it_and_says_the_person_is_satisfied(resolved_concern, cadre_a2):
    callback_services.feedback_record(
        concern=resolved_concern,
        by=cadre_a2,
        version=resolved_concern.version,
        satisfaction=Feedback.Satisfaction.SATISFIED,
        channel=Feedback.Channel.PHONE,
    )
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.CLOSED and resolved_concern.callback_due is None
    assert resolved_concern.get_status_display() == "Closed: the person is satisfied"
    closed = resolved_concern.events.get(kind="closed")
    assert "satisfied" in closed.note


@pytest.mark.clock(2026, 12, 1)
def test_a_dissatisfied_callback_clears_it_and_a_new_resolution_sets_a_new_one(
    clock, resolved_concern, cadre_a, cadre_a2
):
    callback_services.feedback_record(
        concern=resolved_concern,
        by=cadre_a2,
        version=resolved_concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
        comment="Still flickers at night.",
    )
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.IN_PROGRESS and resolved_concern.callback_due is None
    clock.set(2026, 12, 8)
    _resolve(resolved_concern, cadre_a)
    resolved_concern.refresh_from_db()
    assert resolved_concern.callback_due == datetime.date(2026, 12, 11)


@pytest.mark.clock(2026, 12, 7)
def test_the_concern_page_shows_the_deadline_and_how_late(clock, client_for, resolved_concern, cadre_a2):
    clock.set(2026, 12, 8)  # resolved Monday 7th: due Thursday 10th
    page = client_for(cadre_a2).get(resolved_concern.get_absolute_url()).content.decode()
    assert "data-callback-due" in page and "data-callback-late" not in page
    clock.set(2026, 12, 14)  # Friday 11th and Monday 14th
    page = client_for(cadre_a2).get(resolved_concern.get_absolute_url()).content.decode()
    assert "2 working days late" in page
