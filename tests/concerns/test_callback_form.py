"""Recording the callback over HTTP, and the form's refusals."""

import datetime

from django.utils import timezone

from fieldwork.models import Concern, Feedback
from tests.concerns.helpers import fresh, url


def test_callback_dissatisfied_reopens_over_http(client_for, cadre_a, cadre_a2, resolved_concern):
    concern = resolved_concern
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client_for(cadre_a2).post(
        url("concern-callback", concern),
        {
            "callback-version": concern.version,
            "callback-satisfaction": "dissatisfied",
            "callback-channel": "in_person",
            "callback-comment": "Still dark.",
            "callback-new_due_date": due.isoformat(),
        },
        follow=True,
    )
    assert "back in progress" in response.content.decode()
    concern = fresh(concern)
    assert concern.status == Concern.Status.IN_PROGRESS and concern.reopen_count == 1 and concern.due_date == due
    feedback = Feedback.objects.get()
    assert feedback.recorded_by == cadre_a2 and feedback.comment == "Still dark." and feedback.channel == "in_person"


def test_callback_satisfied_closes_over_http(client_for, cadre_a, leader_branch, resolved_concern):
    concern = resolved_concern
    client_for(leader_branch).post(
        url("concern-callback", concern),
        {"callback-version": concern.version, "callback-satisfaction": "satisfied", "callback-channel": "phone"},
    )
    assert fresh(concern).status == Concern.Status.CLOSED


def test_callback_form_refuses_self_service_and_missing_answer(client_for, cadre_a, cadre_a2, resolved_concern):
    concern = resolved_concern
    client = client_for(cadre_a2)
    for data in (
        {"callback-satisfaction": "satisfied", "callback-channel": "self_service"},
        {"callback-channel": "phone"},
    ):
        response = client.post(url("concern-callback", concern), {"callback-version": concern.version, **data})
        assert response.status_code == 200 and "Please correct the errors below." in response.content.decode()
    assert fresh(concern).status == Concern.Status.RESOLVED
