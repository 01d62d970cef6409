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
