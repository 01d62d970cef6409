"""The task queue: Django's tasks API (django-tasks) with its queue in the database (django-tasks-db).

How to use it:
- define a task with `@task` below (a module-level function; arguments and return value JSON-able);
- enqueue it: `result = send_reminders.enqueue(today="2026-12-01")`, keep `result.id`;
- report progress from a task made with `@task(takes_context=True)`:
  `task_progress(context, done=rows_written, total=rows_to_write)` (each call is committed at once);
- read it back, from any process: `state = task_state(result.id)`: its status (READY, RUNNING,
  SUCCESSFUL, FAILED), `done` of `total` (None until the task says), its return value once done, and
  the error when it failed.
`manage.py run_worker` (make worker) runs the queued tasks; several may run at once on any machines
that share the database. django-tasks has no periodic tasks: each worker calls `enqueue_due()` every
minute, and the day's row of DailyRun makes sure each periodic task (PERIODIC: the reminders and the
chasing ladder; the clean-up of expired files) is enqueued once a day.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from fieldwork.models import DailyRun, TaskProgress

REMINDERS = "send_reminders"
EXPORTS_EXPIRE = "exports_expire"


@task
def send_reminders(*, today: str | None = None) -> str:
    """The chasing ladder and the reminder digests of a day (manage.py send_reminders, whose own
    guards make a second run on the same day write and send nothing). Returns the command's report."""
    out = io.StringIO()
    options = {"today": datetime.date.fromisoformat(today)} if today else {}
    call_command("send_reminders", stdout=out, **options)
    return out.getvalue()


@dataclass(frozen=True)
class TaskState:
    """What a page needs to know about a queued task."""

    id: str
    status: TaskResultStatus
    return_value: Any
    error: str
    done: int = 0
    total: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}

    @property
    def percent(self) -> int:
        """Rows done of rows to do, as a whole percentage (0 until the task says how many)."""
        return min(100, self.done * 100 // self.total) if self.total else 0


def task_state(result_id: str) -> TaskState | None:
    """The state of a task enqueued earlier, or None when there is no such task."""
    try:
        result = default_task_backend.get_result(result_id)
    except (TaskResultDoesNotExist, ValueError):
        return None
    successful = result.status == TaskResultStatus.SUCCESSFUL
    progress = TaskProgress.objects.filter(task_id=str(result.id)).first()
    return TaskState(
        id=str(result.id),
        status=result.status,
        return_value=result.return_value if successful else None,
        error=result.errors[-1].exception_class_path if result.errors else "",
        done=progress.done if progress else 0,
        total=progress.total if progress else None,
    )


def task_progress(context: TaskContext, *, done: int, total: int | None) -> None:
    """Record how far the running task has gone (rows done of rows to do)."""
    TaskProgress.objects.update_or_create(
        task_id=str(context.task_result.id),
        defaults={"done": done, "total": total, "updated_at": timezone.now()},
    )


@dataclass(frozen=True)
class Periodic:
    """A task the workers enqueue once a day, from a time of day (a FIELDWORK setting) on."""

    name: str
    task_path: str  # imported when enqueued: the task's module may import this one
    at_setting: str

    def at(self) -> datetime.time:
        return datetime.time.fromisoformat(settings.FIELDWORK[self.at_setting])


PERIODIC = (
    Periodic(REMINDERS, "fieldwork.tasks.send_reminders", "REMINDERS_AT"),
    Periodic(EXPORTS_EXPIRE, "fieldwork.exports.jobs.exports_expire", "EXPORTS_EXPIRE_AT"),
)


def retry_minutes() -> int:
    return settings.FIELDWORK["REMINDERS_RETRY_MINUTES"]


class _Lost(Exception):
    """Another worker changed the day's row first: undo what this one enqueued."""


def enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each periodic task due and not yet enqueued today; return the names enqueued."""
    now = now or timezone.now()
    return [periodic.name for periodic in PERIODIC if _enqueue_if_due(periodic, now)]


def _enqueue_if_due(periodic: Periodic, now: datetime.datetime) -> bool:
    """A periodic task is due from its time of day on, and again REMINDERS_RETRY_MINUTES after a run of
    the day that failed (a mail server down: the reminders' own guards keep what was sent from going
    twice). Safe with several workers at once: the task is enqueued in the same transaction as the
    day's DailyRun row is inserted or moved on to it, and the worker that loses that race rolls back.
    """
    local = timezone.localtime(now)
    if local.time() < periodic.at():
        return False
    day = local.date()
    run = DailyRun.objects.filter(name=periodic.name, run_on=day).first()
    if run is not None and not _failed_before(run.task_id, now - datetime.timedelta(minutes=retry_minutes())):
        return False
    try:
        with transaction.atomic():
            if run is None:
                run = DailyRun.objects.create(name=periodic.name, run_on=day)
            result = import_string(periodic.task_path).enqueue(today=day.isoformat())
            if not DailyRun.objects.filter(pk=run.pk, task_id=run.task_id).update(task_id=str(result.id)):
                raise _Lost
    except (IntegrityError, _Lost):
        return False  # another worker enqueued it first
    except DatabaseError:
        return False  # SQLite busy with another writer: the next minute tries again
    return True


def _failed_before(task_id: str, moment: datetime.datetime) -> bool:
    state = task_state(task_id) if task_id else None
    if state is None or state.status != TaskResultStatus.FAILED:
        return False
    finished_at = default_task_backend.get_result(task_id).finished_at
    return finished_at is not None and finished_at <= moment
