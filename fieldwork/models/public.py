"""The public channel's rows: the attempts its rate limits count."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicAttempt(models.Model):
    """One concern raised or one failed receipt-code look-up on the public channel (fieldwork.public).

    The rate limits count these rows, so every app server behind the proxy counts the same attempts.
    `key` is a keyed hash of the client address or of the unit, never the address itself.
    """

    class Kind(models.TextChoices):
        RAISE_ADDRESS = "raise_address", _("Concern raised, per address")
        RAISE_UNIT = "raise_unit", _("Concern raised, per unit")
        LOOKUP_FAILED = "lookup_failed", _("Failed code look-up, per address")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("public channel attempt")
        verbose_name_plural = _("public channel attempts")
        indexes = [
            # the rate limits: recent attempts of one kind by one key (public.rate_limit_wait)
            models.Index(fields=["kind", "key", "created_at"], name="publicattempt_kind_key_time"),
            # pruning: attempts older than the longest window (public.attempt_record)
            models.Index(fields=["created_at"], name="publicattempt_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
