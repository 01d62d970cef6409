"""A call that did not reach the person is an attempt: recorded by those who may record the callback,
an internal event on the timeline, never a callback (no Feedback, the concern stays in the queue)."""

import pytest
from django.urls import reverse

from fieldwork import submissions
from fieldwork.errors import DomainError
from fieldwork.models import CallbackAttempt, Concern, ConcernEvent, Feedback
from fieldwork.services import callbacks as callback_services
from tests.callback_attempts.helpers import attempt_url

pytestmark = pytest.mark.clock(2026, 12, 1, 10)


def test_another_cadre_records_an_attempt_from_the_concern_page(client_for, resolved_concern, cadre_a2):
    client = client_for(cadre_a2)
    page = client.get(resolved_concern.get_absolute_url())
    assert 'data-step="attempt"' in page.content.decode()
    response = client.post(
        attempt_url(resolved_concern), {"attempt-channel": "phone", "attempt-note": "Switched off"}, follow=True
    )
    assert response.status_code == 200
    attempt = CallbackAttempt.objects.get(concern=resolved_concern)
    assert (attempt.made_by, attempt.channel, attempt.note) == (cadre_a2, "phone", "Switched off")
    resolved_concern.refresh_from_db()
    assert resolved_concern.status == Concern.Status.RESOLVED
    assert resolved_concern.callback_due is not None  # still in the queue
    assert not Feedback.objects.exists()  # not a callback
    event = resolved_concern.events.get(kind=ConcernEvent.Kind.CALLBACK_ATTEMPT)
    assert (event.actor, event.public, event.note) == (cadre_a2, False, "Phone: Switched off")
    assert "Calls on 1 day so far." in response.content.decode()
    assert "Switched off" in response.content.decode()  # listed on the page


def test_the_owner_may_not_record_an_attempt(client_for, resolved_concern, cadre_a):
    with pytest.raises(DomainError, match="does not grade it"):
        callback_services.callback_attempt_record(concern=resolved_concern, by=cadre_a)
    client = client_for(cadre_a)
    assert 'data-step="attempt"' not in client.get(resolved_concern.get_absolute_url()).content.decode()
    assert client.post(attempt_url(resolved_concern), {"attempt-channel": "phone"}).status_code == 403
    assert not CallbackAttempt.objects.exists()


def test_out_of_scope_is_a_404(client_for, resolved_concern, cadre_b_other_team):
    response = client_for(cadre_b_other_team).post(attempt_url(resolved_concern), {"attempt-channel": "phone"})
    assert response.status_code == 404
    with pytest.raises(DomainError):
        callback_services.callback_attempt_record(concern=resolved_concern, by=cadre_b_other_team)
    assert not CallbackAttempt.objects.exists()


def test_anonymous_and_get(client, client_for, resolved_concern, cadre_a2):
    assert client.post(attempt_url(resolved_concern), {"attempt-channel": "phone"}).status_code == 302
    assert client_for(cadre_a2).get(attempt_url(resolved_concern)).status_code == 405
    assert not CallbackAttempt.objects.exists()


def test_only_while_awaiting_the_callback(client_for, concern, cadre_a2):
    with pytest.raises(DomainError, match="awaits its callback"):
        callback_services.callback_attempt_record(concern=concern, by=cadre_a2)
    response = client_for(cadre_a2).post(attempt_url(concern), {"attempt-channel": "phone"}, follow=True)
    assert "awaits its callback" in response.content.decode()
    assert not CallbackAttempt.objects.exists()


def test_bad_channel_is_shown_beside_the_field(client_for, resolved_concern, cadre_a2):
    response = client_for(cadre_a2).post(attempt_url(resolved_concern), {"attempt-channel": "pigeon"})
    assert response.status_code == 200
    assert response.context["attempt_form"].errors.keys() == {"channel"}
    assert not CallbackAttempt.objects.exists()
    with pytest.raises(DomainError):
        callback_services.callback_attempt_record(concern=resolved_concern, by=cadre_a2, channel="self_service")


def test_a_repeated_submit_records_one_attempt(client_for, resolved_concern, cadre_a2):
    client = client_for(cadre_a2)
    key = submissions.submission_key_new("attempt", cadre_a2)
    data = {"attempt-channel": "phone", submissions.FIELD: key}
    client.post(attempt_url(resolved_concern), data)
    response = client.post(attempt_url(resolved_concern), data, follow=True)
    assert CallbackAttempt.objects.count() == 1
    assert "data-already-saved" in response.content.decode()


def test_one_tap_from_the_queue_comes_back_to_the_queue(client_for, resolved_concern, leader_branch):
    client = client_for(leader_branch)
    queue = reverse("fieldwork:callback-list")
    page = client.get(queue).content.decode()
    assert "data-attempt-form" in page
    response = client.post(attempt_url(resolved_concern), {"attempt-channel": "phone", "next": queue + "?overdue="})
    assert response.status_code == 302
    assert response.url == queue + "?overdue="
    assert CallbackAttempt.objects.filter(concern=resolved_concern, made_by=leader_branch).count() == 1
    # elsewhere than this site: back to the concern, never away
    response = client.post(attempt_url(resolved_concern), {"attempt-channel": "phone", "next": "https://evil.example/"})
    assert response.url == resolved_concern.get_absolute_url()
