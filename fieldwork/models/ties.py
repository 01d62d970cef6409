"""Close ties (密切联系): the grassroots units each cadre answers for, as contact points (联系点)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..scope import ScopedQuerySet
from .units import Unit


def default_interval_days() -> int:
    return settings.FIELDWORK_CONTACT_INTERVAL_DAYS


class ContactPointQuerySet(ScopedQuerySet):
    def current(self, today: datetime.date) -> ContactPointQuerySet:
        """Contact points whose term holds `today`: begun, and not ended (nor ending) before it."""
        return self.filter(start__lte=today).filter(Q(end__isnull=True) | Q(end__gte=today))

    def unvisited(self, today: datetime.date) -> ContactPointQuerySet:
        """Current contact points their cadre has not visited within the interval (due_date passed):
        the dashboard figure "contact points unvisited" (fieldwork/contact_points.py)."""
        return self.current(today).filter(due_date__lt=today)


class ContactPoint(models.Model):
    """A cadre answering for a grassroots unit for a term: they should visit it (or a unit below it)
    at least once every `interval_days`. Ended with a reason, never deleted.

    `last_visit_date` and `due_date` are stored so that every list and figure reads them instead of
    scanning visits: kept by fieldwork/contact_points.py (`refresh`), called by the visit services in
    the writing transaction and by `manage.py refresh_contact_points` / rollups.rebuild for old data.
    """

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="contact_points"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="contact_points")
    start = models.DateField(_("term starts"))
    end = models.DateField(_("term ends"), null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(
        _("visit at least every (days)"), default=default_interval_days, validators=[MinValueValidator(1)]
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="contact_points_assigned",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.TextField(_("reason for ending"), max_length=1000, blank=True, default="")
    # the latest visit within the term at the unit or below it that lists the cadre (contact_points.refresh)
    last_visit_date = models.DateField(_("last visit"), null=True, blank=True)
    # the last day it counts as visited in time: (last visit, or the term's start) + interval
    due_date = models.DateField(_("visit due by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContactPointQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_visit_date", "due_date"])

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_days__gte=1), name="contact_point_interval_positive"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="contact_point_end_after_start"
            ),
        ]
        indexes = [
            # my work: a cadre's contact points, longest unvisited first (contact_points.for_cadre)
            models.Index(fields=["cadre", "due_date"], name="contact_point_cadre_due"),
            # a unit's list and figure: by unit, due date first (contact_points.unvisited_in)
            models.Index(fields=["unit", "due_date"], name="contact_point_unit_due"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.unit}"

    def days_since_visit(self, today: datetime.date) -> int:
        """Days since the last visit, or since the term began when there has been none."""
        return (today - (self.last_visit_date or self.start)).days

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_date < today
