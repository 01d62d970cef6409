"""Confidential notes of a heart-to-heart talk (谈心谈话): beside the visit's shareable summary.

The notes are kept here, never on the visit row, and only as a Fernet token (fieldwork.talks): no
plaintext column exists for history, search, lists, exports or the admin to pick up. There is no
history model for this table (its content would be copied there); `updated_at` is the only trace of
a change. Readers are the author and the people the author names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .visits import Visit


class ConfidentialNote(models.Model):
    visit = models.OneToOneField(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="confidential_note"
    )
    # A Fernet token (URL-safe base64 text): the notes under the newest key of FIELDWORK_NOTE_KEYS, or an
    # older one until reencrypt_notes runs. Never read this column except through fieldwork.talks.
    ciphertext = models.TextField(_("ciphertext"), editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="confidential_notes_written",
    )
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("also readable by"),
        related_name="confidential_notes_shared",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("confidential note")
        verbose_name_plural = _("confidential notes")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(_("Confidential notes of %(visit)s")) % {"visit": self.visit_id}
