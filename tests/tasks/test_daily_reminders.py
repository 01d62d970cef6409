"""The reminders and the chasing ladder run as a periodic task of the queue: the workers enqueue the
day's run once, from FIELDWORK REMINDERS_AT on, even when several race for it."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fieldwork import ladder, tasks
from fieldwork.models import ConcernEvent, DailyRun, ReminderLog
from tests.factories import ConcernFactory
from tests.tasks.worker import work_off

pytestmark = pytest.mark.django_db(transaction=True)


def reminders_queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="fieldwork.tasks.send_reminders"))


@pytest.fixture
def late(team_a, cadre_a, clock):
    return ConcernFactory(unit=team_a, owner=cadre_a, due_date=clock.today - datetime.timedelta(days=6))


def test_nothing_is_enqueued_before_the_reminders_time(late, clock):
    clock.set(2026, 12, 1, hour=7, minute=29)

    assert tasks.enqueue_due() == []
    assert work_off() == 0
    assert not reminders_queued()
    assert not DailyRun.objects.exists()


def test_the_worker_enqueues_the_days_reminders_once_and_runs_them(late, cadre_a, clock):
    clock.set(2026, 12, 1, hour=7, minute=30)

    assert work_off() == 1
    assert work_off() == 0  # a later loop the same day enqueues nothing

    (queued,) = reminders_queued()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert "Sent 1 owner digest(s)" in queued.return_value
    assert DailyRun.objects.get().task_id == str(queued.pk)
    assert [message.to for message in mail.outbox] == [[cadre_a.email]]
    assert ReminderLog.objects.filter(user=cadre_a, sent_on=clock.today).count() == 1
    assert ConcernEvent.objects.filter(concern=late, kind__in=ladder.LADDER_KINDS).count() == 1


def test_the_next_day_is_enqueued_again(late, clock):
    work_off()
    clock.move(days=1)

    work_off()

    assert [row.run_on for row in DailyRun.objects.order_by("run_on")] == [
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 2),
    ]
    assert [row.status for row in reminders_queued()] == [TaskResultStatus.SUCCESSFUL] * 2


def test_two_workers_racing_enqueue_the_days_reminders_once(late, cadre_a):
    start = threading.Barrier(2)
    enqueued = []
    errors = []

    def worker_loop():
        try:
            start.wait(timeout=10)
            for _ in range(5):
                enqueued.extend(tasks.enqueue_due())
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker_loop) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert enqueued == [tasks.REMINDERS]
    assert len(reminders_queued()) == 1
    assert DailyRun.objects.count() == 1

    work_off("worker-1")
    work_off("worker-2")
    assert [message.to for message in mail.outbox] == [[cadre_a.email]]
