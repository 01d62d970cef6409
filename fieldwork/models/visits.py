"""Visits: cadres going to the grassroots and what they heard there."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..scope import ScopedQuerySet
from .labels import Principle
from .units import Unit

# Kept by name (the model's `history` attribute becomes its manager): services call it to write one
# record once a visit's cadres and principles are set, instead of one per save and per m2m change.
VISIT_HISTORY = HistoricalRecords(m2m_fields=["cadres", "principles"], excluded_fields=["updated_at"])


class Visit(models.Model):
    class Form(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        SYMPOSIUM = "symposium", _("Symposium")
        HEART_TO_HEART = "heart_to_heart", _("Heart-to-heart talk")
        ON_SITE_SURVEY = "on_site_survey", _("On-site survey")
        STAYING_AT_POINT = "staying_at_point", _("Staying at a grassroots point")
        RECEPTION_DAY = "reception_day", _("Reception day")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    form = models.CharField(_("form of visit"), max_length=20, choices=Form.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    cadres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("cadres"), related_name="visits_made", blank=True
    )
    people_reached = models.PositiveIntegerField(_("people reached"), validators=[MinValueValidator(1)])
    summary = models.TextField(_("what was heard"), max_length=5000, blank=True)
    principles = models.ManyToManyField(Principle, verbose_name=_("principles practised"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="visits_authored",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # optimistic locking: each edit names the version it was made on (services.visits.visit_update)
    version = models.PositiveIntegerField(_("version"), default=1)
    # what its author confirmed (services.visits.visit_checks): dated well before it was recorded, and
    # the reasons given for that or for more people than the unit holds
    backdated = models.BooleanField(_("back-dated"), default=False)
    confirmation_note = models.TextField(_("reason confirmed"), max_length=2000, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    # who changed what and when (history.py); services.visits.visit_record/visit_update write one record per
    # save through VISIT_HISTORY, with the cadres and principles as they stand after it
    history = VISIT_HISTORY

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(people_reached__gte=1), name="visit_people_reached_positive"),
        ]
        indexes = [
            # visit list and dashboard: a unit's visits by date (selectors, VisitFilter)
            models.Index(fields=["unit", "date"], name="visit_unit_date"),
            # visit list newest first across a whole scope
            models.Index(fields=["-date", "-id"], name="visit_date_id"),
            # my work: a person's latest visits (135 ms on the million-visit data without it)
            models.Index(fields=["author", "-date", "-id"], name="visit_author_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_form_display()} · {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:visit-detail", args=[self.pk])
