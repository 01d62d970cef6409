"""A public concern whose person left no contact and never answered closes as `no_answer` by the daily run
the day after its window (callback_due) ends: once, with one public event without an actor, however often
the run goes; an answer on the tracking page inside the window closes it as usual."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fieldwork.models import Concern, ConcernEvent, Feedback
from fieldwork.services import callbacks as callback_services

from .helpers import D, public_concern, resolve, run

pytestmark = pytest.mark.clock(2026, 12, 1)


def test_closed_the_day_after_its_window_exactly_once(clock, team_a, leader_team_a):
    concern = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    with_contact = resolve(public_concern(team_a)[0], leader_team_a)
    run(clock, D(2026, 12, 15))  # the last day the person can answer
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED
    out = run(clock, D(2026, 12, 16))
    assert "Closed 1 concern(s) as no answer." in out
    run(clock, D(2026, 12, 16))  # a second run the same day
    run(clock, D(2026, 12, 17))  # and the next day's
    concern.refresh_from_db()
    assert concern.status == Concern.Status.NO_ANSWER
    assert timezone_day(concern.closed_at) == D(2026, 12, 16)
    assert (concern.callback_from, concern.callback_due) == (None, None)
    events = list(concern.events.filter(kind=ConcernEvent.Kind.NO_ANSWER))
    assert len(events) == 1
    event = events[0]
    assert event.actor is None and event.public
    assert (event.from_status, event.to_status) == (Concern.Status.RESOLVED, Concern.Status.NO_ANSWER)
    assert event.note == "The person did not answer within 10 working days and left no contact."
    with_contact.refresh_from_db()
    assert with_contact.status == Concern.Status.RESOLVED  # left a contact: called, never closed so


def test_two_runs_at_once_close_it_once(clock, team_a, leader_team_a):
    concern = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    clock.on(D(2026, 12, 16))
    # Both runs read the candidates before either closed anything; the lock decides again.
    first = list(callback_services.concerns_no_answer_due(today=D(2026, 12, 16)).values_list("pk", flat=True))
    second = list(callback_services.concerns_no_answer_due(today=D(2026, 12, 16)).values_list("pk", flat=True))
    assert first == second == [concern.pk]
    closed = [callback_services.concern_close_no_answer(concern=Concern(pk=pk), today=D(2026, 12, 16)) for pk in first]
    again = [callback_services.concern_close_no_answer(concern=Concern(pk=pk), today=D(2026, 12, 16)) for pk in second]
    assert [c.pk for c in closed] == [concern.pk] and again == [None]
    assert concern.events.filter(kind=ConcernEvent.Kind.NO_ANSWER).count() == 1
    concern.refresh_from_db()
    assert concern.version == 4  # raised 1, started 2, resolved 3, closed as no answer 4: one write


def test_an_answer_inside_the_window_closes_it_as_usual(clock, team_a, leader_team_a):
    concern = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    clock.on(D(2026, 12, 10))
    feedback = callback_services.feedback_record(
        concern=concern,
        by=None,
        version=concern.version,
        satisfaction=Feedback.Satisfaction.BASICALLY,
        channel=Feedback.Channel.SELF_SERVICE,
    )
    assert feedback.due_date == D(2026, 12, 15)
    run(clock, D(2026, 12, 16))
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert not concern.events.filter(kind=ConcernEvent.Kind.NO_ANSWER).exists()


def test_a_dry_run_closes_nothing(clock, team_a, leader_team_a):
    concern = resolve(public_concern(team_a, contact="")[0], leader_team_a)
    clock.on(D(2026, 12, 16), hour=7, minute=30)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-12-16", "--dry-run", verbosity=1, stdout=out)
    assert "Would close 1 concern(s) as no answer." in out.getvalue()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED


def timezone_day(moment):
    return timezone.localtime(moment).date()
