"""After the set attempts on different days a leader closes the concern as unreachable: a final state
apart from `closed`, with its event and a reason; before that the form is not offered and the
service refuses; the concern leaves the queue and its ladder."""

import pytest
from django.test import Client
from django.urls import reverse

from fieldwork import callback_ladder
from fieldwork.errors import DomainError
from fieldwork.models import Concern, ConcernEvent, Feedback
from fieldwork.services import callbacks as callback_services
from tests.callback_attempts.helpers import calls_on_days, unreachable_url
from tests.public.helpers import TRACK_URL, raised, resolve, track

pytestmark = pytest.mark.clock(2026, 12, 1, 10)


def _close(concern, by, reason="Three days, no answer; the number is out of service."):
    concern.refresh_from_db()
    return callback_services.concern_close_unreachable(concern=concern, by=by, version=concern.version, reason=reason)


def test_two_calls_the_same_day_count_once(clock, resolved_concern, cadre_a2, leader_team_a):
    calls_on_days(clock, resolved_concern, cadre_a2, days=2, per_day=2)
    assert callback_services.attempt_days(resolved_concern) == 2
    with pytest.raises(DomainError, match="calls on 2"):
        _close(resolved_concern, leader_team_a)
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.RESOLVED


def test_refused_before_the_set_attempts_and_no_form(clock, client_for, resolved_concern, cadre_a2, leader_team_a):
    calls_on_days(clock, resolved_concern, cadre_a2, days=2)
    client = client_for(leader_team_a)
    page = client.get(resolved_concern.get_absolute_url()).content.decode()
    assert 'data-step="unreachable"' not in page
    assert "data-unreachable-refusal" in page
    response = client.post(
        unreachable_url(resolved_concern),
        {"unreachable-version": resolved_concern.version, "unreachable-reason": "No answer"},
        follow=True,
    )
    assert "only after calls on 3 different days" in response.content.decode()
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.RESOLVED
    assert not resolved_concern.events.filter(kind=ConcernEvent.Kind.UNREACHABLE).exists()


def test_the_setting_sets_the_number(clock, settings, resolved_concern, cadre_a2, leader_team_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "CALLBACK_ATTEMPTS": 1}
    calls_on_days(clock, resolved_concern, cadre_a2, days=1)
    assert _close(resolved_concern, leader_team_a).status == Concern.Status.UNREACHABLE


def test_a_leader_closes_it_after_calls_on_three_days(clock, client_for, resolved_concern, cadre_a2, leader_branch):
    calls_on_days(clock, resolved_concern, cadre_a2, days=3)
    client = client_for(leader_branch)
    assert 'data-step="unreachable"' in client.get(resolved_concern.get_absolute_url()).content.decode()
    response = client.post(
        unreachable_url(resolved_concern),
        {"unreachable-version": resolved_concern.version, "unreachable-reason": "Out of service three days"},
        follow=True,
    )
    assert "the person could not be reached" in response.content.decode()
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.UNREACHABLE
    assert resolved_concern.get_status_display() == "Closed: the person could not be reached"
    assert resolved_concern.callback_due is None and resolved_concern.closed_at == clock.now
    assert resolved_concern.resolved_at is not None  # the work was done
    event = resolved_concern.events.get(kind=ConcernEvent.Kind.UNREACHABLE)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        leader_branch,
        Concern.Status.RESOLVED,
        Concern.Status.UNREACHABLE,
        "Out of service three days",
    )
    assert not Feedback.objects.exists()  # never a callback, never satisfied
    # final: no callback, no more attempts, not again
    assert 'data-step="callback"' not in client.get(resolved_concern.get_absolute_url()).content.decode()
    with pytest.raises(DomainError):
        callback_services.callback_attempt_record(concern=resolved_concern, by=cadre_a2)
    with pytest.raises(DomainError):
        _close(resolved_concern, leader_branch)


def test_the_reason_is_required_beside_the_field(clock, client_for, resolved_concern, cadre_a2, leader_team_a):
    calls_on_days(clock, resolved_concern, cadre_a2, days=3)
    response = client_for(leader_team_a).post(
        unreachable_url(resolved_concern), {"unreachable-version": resolved_concern.version, "unreachable-reason": ""}
    )
    assert response.status_code == 200
    assert response.context["step_forms"]["unreachable"].errors.keys() == {"reason"}
    with pytest.raises(DomainError, match="reason"):
        _close(resolved_concern, leader_team_a, reason="  ")
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.RESOLVED


def test_a_cadre_may_not_close_it(clock, client_for, resolved_concern, cadre_a2, leader_team_a, leader_other_branch):
    calls_on_days(clock, resolved_concern, leader_team_a, days=3)
    with pytest.raises(DomainError, match="Only a leader"):
        _close(resolved_concern, cadre_a2)
    response = client_for(cadre_a2).post(
        unreachable_url(resolved_concern), {"unreachable-version": resolved_concern.version, "unreachable-reason": "x"}
    )
    assert response.status_code == 403
    response = client_for(leader_other_branch).post(
        unreachable_url(resolved_concern), {"unreachable-version": resolved_concern.version, "unreachable-reason": "x"}
    )
    assert response.status_code == 404
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.RESOLVED


def test_it_leaves_the_queue_and_the_ladder(clock, client_for, resolved_concern, cadre_a2, leader_branch):
    calls_on_days(clock, resolved_concern, cadre_a2, days=3)
    _close(resolved_concern, leader_branch)
    queue = client_for(leader_branch).get(reverse("fieldwork:callback-list"))
    assert list(queue.context["concerns"]) == []
    clock.move(days=20)
    assert list(callback_ladder.concerns_due_a_callback_rung(today=clock.today)) == []


def test_the_public_tracking_page_says_so(clock, team_a, cadre_a2, leader_branch, leader_team_a):
    concern, code = raised(team_a, anonymous=False, name="赵铁柱", contact="13800001234")
    resolve(concern, leader_branch)
    calls_on_days(clock, concern, cadre_a2, days=3)
    _close(concern, leader_team_a, reason="INTERNAL-REASON")
    browser = Client()
    track(browser, code)
    page = browser.get(TRACK_URL).content.decode()
    assert "Closed: the person could not be reached" in page
    assert "could not reach you" in page
    assert "No answer" not in page  # the calls' notes are internal
