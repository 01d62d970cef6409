"""The whole way, through the real queue: a worker runs the day's reminders, which write the 催办 and make
the robot's messages; the same worker then sends them, and a retry waits in the queue for its time."""

import pytest
from django_tasks_db.models import DBTaskResult

from fieldwork.models import WebhookDelivery
from tests.tasks.worker import work_off
from tests.webhooks.helpers import late_concern

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 12, 1, hour=8)]


@pytest.fixture(autouse=True)
def _reminders_alone(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORTS_EXPIRE_AT": "23:59"}


def test_a_worker_runs_the_day_and_sends_the_robots_messages(team_a, cadre_a, make_robot, robot_server):
    concern = late_concern(team_a, cadre_a)
    make_robot(team_a)

    work_off()

    assert set(WebhookDelivery.objects.values_list("kind", "status")) == {
        (WebhookDelivery.Kind.DIGEST, WebhookDelivery.Status.SENT),
        (WebhookDelivery.Kind.CHASE, WebhookDelivery.Status.SENT),
    }
    assert len(robot_server.received) == 2
    assert all(concern.reference in text for text in robot_server.texts())


def test_a_failed_try_waits_in_the_queue(clock, team_a, cadre_a, make_robot, robot_server):
    late_concern(team_a, cadre_a)
    make_robot(team_a, send_chases=False)
    robot_server.answer = "500"

    work_off()
    assert len(robot_server.received) == 1
    waiting = DBTaskResult.objects.filter(task_path="fieldwork.webhooks.webhook_deliver", status="READY")
    assert waiting.count() == 1

    robot_server.answer = "ok"
    clock.move(seconds=61)
    work_off()
    assert len(robot_server.received) == 2
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SENT
