"""A user's own choices about the app: for now, which page they land on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import Unit


class UserPreference(models.Model):
    """One row per user who chose something. `landing_unit`: a leader may land on the dashboard of a
    unit they lead instead of My work (views.core.home); empty, they land on My work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="fieldwork_preference"
    )
    landing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("landing page: the dashboard of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)
