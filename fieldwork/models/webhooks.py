"""Group robots: a unit's 企业微信 or 钉钉 group webhook, and every message posted to one.

The rules (the allow-list, the messages, the sending and its retries) live in fieldwork/webhooks.py.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UnitWebhook(models.Model):
    """A group robot of a unit: where the unit's digests, 催办 and 督办 are also posted.

    Edited in the admin by the unit's administrators; never deleted (deactivated), every change kept in
    its history except the secret itself, whose last characters (`secret_hint`) are kept instead.
    """

    class Platform(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信) group robot")
        DINGTALK = "dingtalk", _("DingTalk (钉钉) custom robot")

    unit = models.ForeignKey("fieldwork.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100, help_text=_("The group's name, as the unit knows it."))
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    url = models.CharField(
        _("webhook address"),
        max_length=500,
        help_text=_("The robot's webhook address, as the group's robot settings show it."),
    )
    secret = models.CharField(_("signing secret"), max_length=200, blank=True, default="")
    secret_hint = models.CharField(_("signing secret"), max_length=20, blank=True, default="", editable=False)
    active = models.BooleanField(_("active"), default=True)
    send_digests = models.BooleanField(_("daily digest"), default=True)
    send_chases = models.BooleanField(_("Chases (催办)"), default=True)
    send_supervision = models.BooleanField(_("Supervision and notices (督办, 通报)"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["unit__path", "name", "id"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One message to one group robot: made by the day's run, sent by the task queue.

    The unique constraint (target, kind, day) is what makes a second run of the day make nothing; the
    claim in fieldwork.webhooks.delivery_send is what makes two workers send it once.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")
        CHASE = "chase", _("Chases (催办)")
        SUPERVISION = "supervision", _("Supervision and notices (督办, 通报)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    target = models.ForeignKey(
        UnitWebhook, verbose_name=_("group robot"), on_delete=models.PROTECT, related_name="deliveries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("day"))
    payload = models.JSONField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("group robot message")
        verbose_name_plural = _("group robot messages")
        ordering = ["-day", "target_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["target", "kind", "day"], name="webhookdelivery_unique_target_kind_day")
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.kind} {self.day:%Y-%m-%d}"
