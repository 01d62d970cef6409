"""Submission keys: each form that creates something is sent once (fieldwork.submissions)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionKey(models.Model):
    """One used-up submission key and the record it made.

    Written in the same transaction as the record: the unique digest makes a second POST of the same
    form wait for the first and then find its record, instead of making another. `digest` is the
    sha256 of the key (a copy of the table does not give the keys, which seed the public channel's
    receipt codes). `user` is who the key was made for; None on the public channel, where the key
    itself is the only binding.
    """

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, null=True, blank=True
    )
    # empty only inside the transaction that inserts the row first and then makes the record
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    object_id = models.PositiveBigIntegerField(null=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"
