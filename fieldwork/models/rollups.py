"""The stored figures of the dashboards, kept in step by fieldwork.rollups."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .units import Unit


class Figures(models.Model):
    """The counters and maps of a subtree's figures over some days, as the rollups keep them
    (rollups.counting.FIELDS): the fields of UnitMonth and UnitDay alike."""

    visits = models.IntegerField(_("visits"), default=0)
    people_reached = models.BigIntegerField(_("people reached"), default=0)
    # visits dated more than the set number of days before they were recorded (Visit.backdated)
    visits_backdated = models.IntegerField(_("back-dated visits"), default=0)
    concerns_raised = models.IntegerField(_("concerns raised, not withdrawn"), default=0)
    concerns_withdrawn = models.IntegerField(_("concerns raised and withdrawn"), default=0)
    policy_limited = models.IntegerField(_("concerns raised and limited by policy"), default=0)
    resolved_now = models.IntegerField(_("concerns raised, not policy-limited, now resolved or closed"), default=0)
    policy_resolved = models.IntegerField(_("policy-limited concerns raised, now resolved or closed"), default=0)
    taken_up = models.IntegerField(_("concerns raised and taken up"), default=0)
    taken_up_in_time = models.IntegerField(_("concerns raised and taken up within the response limit"), default=0)
    not_taken_up = models.IntegerField(_("concerns raised, open and never taken up"), default=0)
    resolved = models.IntegerField(_("concerns resolved"), default=0)
    resolved_on_time = models.IntegerField(_("concerns resolved on or before their due date"), default=0)
    days_to_resolve = models.JSONField(_("concerns resolved, by whole days to resolve"), default=dict)
    callbacks = models.IntegerField(_("callbacks"), default=0)
    satisfied = models.IntegerField(_("callbacks satisfied or basically satisfied"), default=0)
    dissatisfied = models.IntegerField(_("callbacks dissatisfied"), default=0)
    # The within-limit share: callbacks that answer a resolution with a deadline (Feedback.due_date),
    # and of those, the ones dated on or before it.
    callbacks_due = models.IntegerField(_("callbacks with a callback deadline"), default=0)
    callbacks_in_time = models.IntegerField(_("callbacks recorded on or before their deadline"), default=0)
    # Final states apart from `closed`, by the month closed (Concern.closed_at).
    unreachable = models.IntegerField(_("concerns closed: the person could not be reached"), default=0)
    no_answer = models.IntegerField(_("concerns closed: the person never answered"), default=0)
    visits_by_principle = models.JSONField(_("visits by principle"), default=dict)
    concerns_by_principle = models.JSONField(_("concerns raised by principle"), default=dict)
    concerns_by_category = models.JSONField(_("concerns raised by category"), default=dict)
    # Translators: 督办
    supervised = models.IntegerField(_("concerns that came under supervision"), default=0)
    # Translators: 延期
    extensions_granted = models.IntegerField(_("extension requests approved"), default=0)

    class Meta:
        abstract = True


class UnitMonth(Figures):
    """The figures of a unit's subtree (the unit and everything below it) for one calendar month.

    Stored so that a dashboard reads a few dozen rows instead of scanning a million visits, and
    kept in step by rollups.py inside the transaction of every change it counts
    (`manage.py rebuild_rollups` recomputes them from scratch). Each counter is attributed to the
    month of its own date, in the configured time zone: visits to the visit's date, the
    "raised" counters to the month the concern was raised, the "resolved" counters to the month
    of its latest move into resolved, callbacks to the callback's date, `supervised` to the month
    the concern came under supervision (督办, `Concern.supervised_at`), `extensions_granted` to the
    month each extension request was approved. Withdrawn concerns count only in
    `concerns_withdrawn`. The maps are {id or days (as text): count}.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))

    class Meta:
        verbose_name = _("monthly figures of a unit")
        verbose_name_plural = _("monthly figures of units")
        ordering = ["unit", "month"]
        constraints = [
            # also the index of every dashboard read: a unit's (or its children's) months
            models.UniqueConstraint(fields=["unit", "month"], name="unitmonth_unique_unit_month"),
        ]
        indexes = [
            # coverage: the units visited in a range of months (kept by UnitYear; this serves checks)
            models.Index(fields=["month", "unit"], name="unitmonth_visited", condition=Q(visits__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class UnitNow(models.Model):
    """The concerns of a unit's subtree that are open or in progress now, as rollups.py keeps them.

    "Open now" and "overdue now" are not bound to a period, and counting them live scans every
    open concern of a subtree (a hundred thousand at the root of a large company). These two
    histograms hold them per day instead, so that the dashboard and the unit tree read one row
    per unit whatever the number of concerns: overdue today is the sum of the days before today.
    The third holds the open ones under supervision (督办) the same way.
    """

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    open_by_due = models.JSONField(_("open or in progress, by due date"), default=dict)
    waiting_by_raised = models.JSONField(_("of those, never taken up, by the day raised"), default=dict)
    # Translators: 督办
    supervised_by_due = models.JSONField(_("of those, under supervision, by due date"), default=dict)
    # Resolved concerns that will be called back (Concern.callback_from set): by the day they join the
    # callback queue, and by their callback deadline. Awaiting a callback today is the sum of the days
    # up to today of the first; callbacks overdue today the sum of the days before today of the second.
    callbacks_by_from = models.JSONField(_("awaiting a callback, by the day they join the queue"), default=dict)
    callbacks_by_due = models.JSONField(_("awaiting a callback, by callback deadline"), default=dict)

    class Meta:
        verbose_name = _("open concerns of a unit")
        verbose_name_plural = _("open concerns of units")

    def __str__(self) -> str:
        return str(self.unit_id)


class UnitYear(models.Model):
    """The months of a year in which a unit's subtree had a visit, as twelve bits (January = 1).

    Coverage asks, for every grassroots unit of a subtree, whether it was visited in the period:
    one narrow row per unit and year answers that for any month, quarter or year, however many
    visits there were. Derived from UnitMonth.visits by rollups.py.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="visited_years")
    year = models.PositiveSmallIntegerField(_("year"))
    visited_months = models.PositiveIntegerField(_("months with a visit (bits, January = 1)"), default=0)

    class Meta:
        verbose_name = _("visited months of a unit")
        verbose_name_plural = _("visited months of units")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unityear_unique_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class RollupStamp(models.Model):
    """One row whose value changes whenever anything a dashboard shows may have changed.

    Every rollup upkeep, rebuild and calendar recount sets a new value in its own transaction
    (rollups.store.lock), and so does every save of a unit, principle or category (names, active).
    A rendered dashboard is cached under the value it was rendered with (views/dashboards.py): a
    change makes a new value, and the next request renders afresh. A random value, not a counter,
    so that a rolled-back change or a restored backup never meets a page cached for other data.
    """

    value = models.BigIntegerField(_("value"), default=0)
    # The counting rules (rollups.counting.RULES) the stored rollups were last rebuilt with: after an
    # upgrade that adds or changes a figure, `migrate` rebuilds them once (rollups.rebuild_if_outdated).
    rules = models.PositiveIntegerField(_("counting rules"), default=0)

    class Meta:
        verbose_name = _("dashboard stamp")
        verbose_name_plural = _("dashboard stamps")

    def __str__(self) -> str:
        return str(self.value)


class UnitDay(Figures):
    """The figures of a unit's subtree for one day, kept only where a dashboard needs them: for the
    "upper" units (those with grandchildren) and their children.

    A period that cuts into months (from 15 March to 20 August) reads the days of the months it
    cuts from here instead of counting them from the visits (rollups.days). Below an upper unit's
    children the subtrees are small and counted live. Kept in step like UnitMonth.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily figures of a unit")
        verbose_name_plural = _("daily figures of units")
        ordering = ["unit", "day"]
        constraints = [
            # also the index of the dashboard's reads: a unit's (or its children's) days of a period
            models.UniqueConstraint(fields=["unit", "day"], name="unitday_unique_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%Y-%m-%d}"
