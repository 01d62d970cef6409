"""A message is tried again later (WEBHOOK_RETRY_SECONDS, doubling, at most WEBHOOK_ATTEMPTS tries) only when
the robot could not be reached or did not answer in time, answered 5xx, or answered with the platform's
error code; any other answer (a 4xx) is final. Each retry is a task queued to run after the wait."""

import datetime
import socket

import pytest
from django_tasks_db.models import DBTaskResult

from fieldwork import webhooks
from fieldwork.models import UnitWebhook, WebhookDelivery
from tests.webhooks.helpers import TODAY

pytestmark = pytest.mark.django_db
S = WebhookDelivery.Status


@pytest.fixture
def delivery(clock, team_a, make_robot):
    clock.on(TODAY, hour=7, minute=30)
    robot = make_robot(team_a)
    return WebhookDelivery.objects.create(
        target=robot,
        kind=WebhookDelivery.Kind.CHASE,
        day=TODAY,
        payload=webhooks.webhook_payload(UnitWebhook.Platform.WECOM, title="t", text="FW-2026-000001"),
        next_attempt_at=clock.now,
    )


def send(delivery) -> WebhookDelivery:
    webhooks.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def queued_retries(delivery) -> list:
    return [
        row.run_after
        for row in DBTaskResult.objects.filter(task_path="fieldwork.webhooks.webhook_deliver").order_by("enqueued_at")
        if row.args_kwargs["kwargs"] == {"delivery_id": delivery.pk}
    ]


@pytest.mark.parametrize(
    ("answer", "error"), [("500", "HTTP 502"), ("errcode", "errcode 45009"), ("hang", "ReadTimeoutError")]
)
def test_a_5xx_the_platforms_error_code_or_no_answer_in_time_is_tried_again_later(
    clock, delivery, robot_server, answer, error
):
    robot_server.answer = answer
    delivery = send(delivery)

    assert delivery.status == S.PENDING
    assert delivery.attempts == 1
    assert error in delivery.last_error
    assert delivery.next_attempt_at == clock.now + datetime.timedelta(seconds=60)
    assert queued_retries(delivery) == [clock.now + datetime.timedelta(seconds=60)]

    # not before its time, even if a task runs early
    assert webhooks.delivery_send(delivery_id=delivery.pk).startswith("not due")
    assert len(robot_server.received) == 1

    robot_server.answer = "ok"
    clock.move(seconds=60)
    delivery = send(delivery)
    assert delivery.status == S.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert len(robot_server.received) == 2


def test_a_robot_that_cannot_be_reached_is_tried_again(clock, settings, delivery, robot_server):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.FIELDWORK = {**settings.FIELDWORK, "WEBHOOK_HOSTS": (f"http://127.0.0.1:{port}",)}
    UnitWebhook.objects.filter(pk=delivery.target_id).update(url=f"http://127.0.0.1:{port}/send?key=k")

    delivery = send(delivery)

    assert delivery.status == S.PENDING
    assert "NewConnectionError" in delivery.last_error or "MaxRetryError" in delivery.last_error
    assert len(queued_retries(delivery)) == 1


def test_a_4xx_is_final(delivery, robot_server):
    robot_server.answer = "400"
    delivery = send(delivery)

    assert delivery.status == S.FAILED
    assert delivery.attempts == 1
    assert "HTTP 400" in delivery.last_error
    assert queued_retries(delivery) == []
    assert webhooks.delivery_send(delivery_id=delivery.pk).startswith("not due")
    assert len(robot_server.received) == 1


def test_the_wait_doubles_and_the_tries_are_bounded(clock, delivery, robot_server):
    robot_server.answer = "500"
    start = clock.now
    delivery = send(delivery)
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=60)
    clock.now = delivery.next_attempt_at
    delivery = send(delivery)
    assert delivery.next_attempt_at == clock.now + datetime.timedelta(seconds=120)
    clock.now = delivery.next_attempt_at
    delivery = send(delivery)  # the third and last of WEBHOOK_ATTEMPTS = 3

    assert delivery.status == S.FAILED
    assert delivery.attempts == 3
    assert len(robot_server.received) == 3
    assert len(queued_retries(delivery)) == 2
    clock.move(days=1)
    assert webhooks.delivery_send(delivery_id=delivery.pk).startswith("not due")
    assert len(robot_server.received) == 3


def test_the_task_sends_it(delivery, robot_server):
    result = webhooks.webhook_deliver.call(delivery_id=delivery.pk)

    assert result == "sent"
    assert len(robot_server.received) == 1
