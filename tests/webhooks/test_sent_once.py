"""Two workers at once send a message once: each claims it with one conditional UPDATE, and the day's
messages are unique per robot, kind and day. Threads with their own connections, on PostgreSQL (SQLite
serialises every writer, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection

from fieldwork import ladder, webhooks
from fieldwork.models import WebhookDelivery
from tests.webhooks.helpers import TODAY, late_concern

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a race between connections: PostgreSQL"),
]


def together(count: int, work) -> list:
    """Run `work` in `count` threads that start at the same moment, each with its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


def test_two_workers_sending_the_same_message_send_it_once(clock, team_a, make_robot, robot_server):
    clock.on(TODAY, hour=7, minute=30)
    robot = make_robot(team_a)
    delivery = WebhookDelivery.objects.create(
        target=robot,
        kind=WebhookDelivery.Kind.DIGEST,
        day=TODAY,
        payload=webhooks.webhook_payload("wecom", title="t", text="x"),
        next_attempt_at=clock.now,
    )
    robot_server.delay = 0.5  # the first is still sending when the second tries

    results = together(2, lambda: webhooks.webhook_deliver.call(delivery_id=delivery.pk))

    assert sorted(results) == ["not due, or claimed by another worker", "sent"]
    assert len(robot_server.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.SENT, 1)


def test_two_runs_of_the_day_at_once_make_each_message_once_and_it_is_sent_once(
    clock, team_a, cadre_a, make_robot, robot_server
):
    clock.on(TODAY, hour=7, minute=30)
    late_concern(team_a, cadre_a)
    make_robot(team_a)
    leaders = ladder.LeaderMap.load()

    together(2, lambda: webhooks.webhook_deliveries_make(today=TODAY, leaders=leaders))
    assert WebhookDelivery.objects.count() == 1  # the digest (no rung was written: the ladder did not run)

    (delivery_id,) = WebhookDelivery.objects.values_list("pk", flat=True)
    together(3, lambda: webhooks.delivery_send(delivery_id=delivery_id))
    assert len(robot_server.received) == 1
