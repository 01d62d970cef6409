"""Workers known by name (职工): the people cadres visit and whose concerns they carry, as opposed to
the users of Fieldwork. Scoped by unit like everything else, never hard-deleted (`active` goes off)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class PersonVisit(models.Model):
    """A worker met on a visit (Visit.persons_met: the visit form's worker picker names them)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits_met")
    visit = models.ForeignKey("fieldwork.Visit", on_delete=models.PROTECT, related_name="persons_met")

    class Meta:
        verbose_name = _("worker met on a visit")
        verbose_name_plural = _("workers met on visits")
        constraints = [models.UniqueConstraint(fields=["person", "visit"], name="person_visit_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.visit_id}"


class Pairing(models.Model):
    """结对: a leader pairs a cadre with a worker for a term, with a reason and a review date. Ended
    with a reason, never deleted. The reason's text is for the paired cadre and the unit's leaders."""

    class Reason(models.TextChoices):
        HARDSHIP = "hardship", _("Hardship")
        ILLNESS = "illness", _("Illness")
        NEW_EMPLOYEE = "new_employee", _("New employee")
        FAMILY_CRISIS = "family_crisis", _("Family crisis")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="pairings")
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="pairings"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pairings")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    reason_text = models.TextField(_("about the reason"), max_length=2000, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("paired by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["cadre", "ended_at"], name="pairing_cadre_ended")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""), name="pairing_ended_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.cadre_id}"

    def delete(self, *args, **kwargs):  # ended, never deleted
        raise models.ProtectedError(_("A pairing is ended, never deleted."), {self})


class HelpGiven(models.Model):
    """帮扶记录: help given to the worker on a pairing: what, when, and its value if it has one."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="help_given")
    what = models.TextField(_("help given"), max_length=2000)
    given_on = models.DateField(_("given on"))
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("help given")
        verbose_name_plural = _("help given")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["pairing", "given_on"], name="help_pairing_given")]

    def __str__(self) -> str:
        return self.what[:50]

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Help given is a record: it is never deleted."), {self})
