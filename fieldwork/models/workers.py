"""Workers known by name (职工): the people cadres visit and whose concerns they carry, as opposed to
the users of Fieldwork. Scoped by unit like everything else, never hard-deleted (`active` goes off)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..scope import ScopedQuerySet
from .units import Unit


class Person(models.Model):
    """A worker known by name. The contact is shown only to those who may see a concern's contact
    (permissions.can_see_contact); `search_keys` holds the picker's keys (name_keys.worker_keys),
    space-separated and framed by spaces, so that a prefix is ` key` inside it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="persons")
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    search_keys = models.TextField(_("search keys"), blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons_created",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "name"], name="person_unit_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from ..name_keys import worker_keys

        self.search_keys = worker_keys(self.name)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # nothing user-created is hard-deleted
        raise models.ProtectedError(_("A worker is never deleted: set them inactive."), {self})
