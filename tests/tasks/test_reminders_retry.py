"""A day's reminders task that failed (the mail server was down) is enqueued again after
FIELDWORK REMINDERS_RETRY_MINUTES, once however many workers look; one that succeeded is not."""

import datetime
import socket

import pytest
from django.core import mail
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fieldwork import tasks
from fieldwork.models import DailyRun, ReminderLog
from tests.factories import ConcernFactory
from tests.tasks.worker import work_off

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 12, 1, hour=8)]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    return settings


def statuses() -> list[str]:
    return list(
        DBTaskResult.objects.filter(task_path="fieldwork.tasks.send_reminders")
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    )


def test_a_failed_days_run_is_enqueued_again_after_the_retry_delay(team_a, cadre_a, clock, mail_server_down):
    ConcernFactory(unit=team_a, owner=cadre_a, due_date=clock.today - datetime.timedelta(days=6))
    work_off()
    assert statuses() == [TaskResultStatus.FAILED]
    assert not ReminderLog.objects.exists()

    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.move(minutes=tasks.retry_minutes() - 1)
    assert tasks.enqueue_due() == []

    clock.move(minutes=1)
    assert tasks.enqueue_due() == [tasks.REMINDERS]
    assert tasks.enqueue_due() == []  # a second worker looking at the same moment
    work_off()

    assert statuses() == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]
    (run,) = DailyRun.objects.all()
    assert run.task_id == str(DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL).pk)
    assert [message.to for message in mail.outbox] == [[cadre_a.email]]


def test_a_successful_days_run_is_not_enqueued_again(team_a, cadre_a, clock):
    ConcernFactory(unit=team_a, owner=cadre_a, due_date=clock.today - datetime.timedelta(days=6))
    work_off()
    clock.move(hours=8)

    assert tasks.enqueue_due() == []
    assert statuses() == [TaskResultStatus.SUCCESSFUL]
