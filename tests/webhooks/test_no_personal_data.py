"""A group chat is read by many: no message names the person who raised a concern, nor their contact,
nor anything typed about the concern (its title may name them) — only references, units, dates, counts."""

import pytest

from fieldwork.models import WebhookDelivery
from tests.webhooks.helpers import CONTACT, RAISER, TITLE, TODAY, late_concern, run_day, send_due

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_message_carries_the_raisers_name_contact_or_the_title(
    clock, settings, language, team_a, branch, cadre_a, leader_branch, make_robot, robot_server
):
    settings.LANGUAGE_CODE = language
    late_concern(team_a, cadre_a)  # chased today
    late_concern(team_a, cadre_a, due=TODAY.replace(month=11, day=2), chased_on=TODAY.replace(month=11, day=20))
    make_robot(team_a)
    make_robot(branch)

    run_day(clock)
    send_due()

    kinds = set(WebhookDelivery.objects.values_list("kind", flat=True))
    assert kinds == {WebhookDelivery.Kind.DIGEST, WebhookDelivery.Kind.CHASE, WebhookDelivery.Kind.SUPERVISION}
    stored = [str(payload) for payload in WebhookDelivery.objects.values_list("payload", flat=True)]
    received = robot_server.texts()
    assert len(received) == WebhookDelivery.objects.count() >= 4
    for text in stored + received:
        assert RAISER not in text
        assert CONTACT not in text
        assert TITLE not in text
        for person in (cadre_a, leader_branch):  # nor who owns or leads: references, units, dates and counts
            assert person.last_name + person.first_name not in text
