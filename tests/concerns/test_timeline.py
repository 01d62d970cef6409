"""The concern's timeline on its page: events, actions and callbacks."""

from django.utils import timezone

from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from tests.concerns.helpers import resolved


def test_timeline_actions_and_callbacks_are_shown(client_for, concern, cadre_a, cadre_a2, leader_branch):
    action_services.action_add(
        concern=concern, by=cadre_a, description="Order a ballast.", owner=cadre_a2, due_date=timezone.localdate()
    )
    resolved(concern, cadre_a)
    callback_services.feedback_record(
        concern=concern,
        by=leader_branch,
        version=concern.version,
        satisfaction="dissatisfied",
        channel="phone",
        comment="Still flickers.",
    )
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    for text in (
        "Order a ballast.",
        "Work started",
        "Callback recorded",
        "Reopened",
        "Still flickers.",
        "recorded by 李芳",
        "Reopened once",
        "Earlier resolution",
        "internal",
    ):
        assert text in page, text
