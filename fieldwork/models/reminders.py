"""The reminder digests' log: what was mailed to whom on which day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One reminder digest mailed to a person on a day (send_reminders).

    The unique constraint is what makes a second run on the same day, or a run started at the
    same time on another machine, send nothing: the digest is claimed by inserting this row.
    """

    class Kind(models.TextChoices):
        OWNER = "owner", _("Owner digest")
        LEADER = "leader", _("Leader digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        ordering = ["-sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "sent_on"], name="reminderlog_unique_user_kind_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.sent_on:%Y-%m-%d}"


class DailyRun(models.Model):
    """A periodic task enqueued for a day by a worker (fieldwork/tasks.py, manage.py run_worker).

    The unique constraint is the once-per-day guard of the queue: every worker tries to insert the
    day's row each minute, and only the one whose insert succeeds enqueues the task.
    """

    name = models.CharField(_("name"), max_length=100)
    run_on = models.DateField(_("run on"))
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        ordering = ["-run_on", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "run_on"], name="dailyrun_unique_name_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.run_on}"


class TaskProgress(models.Model):
    """How far a queued task has gone: rows done of rows to do (fieldwork.tasks.task_progress).

    Apart from the queue's own table, which has no place for it; written by the task as it works,
    read by the page that polls the task's state.
    """

    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.done}/{self.total}"
