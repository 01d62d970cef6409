"""The working-day calendar's exceptions to the weekday rule (fieldwork.workdays counts with them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """A day that breaks the weekday rule (settings.FIELDWORK["WORKING_WEEKDAYS"]): a public holiday
    on a weekday, or a weekend day worked instead (调休). fieldwork.workdays counts with these.

    Each row says where it came from (`source`): the State Council's notice, the `holidays` package
    (which carries the notices of the years it knows), or an estimate (the statutory holidays of a
    year whose notice is not out yet, without make-up days). A date counted over a year that rests
    on an estimate, or that has no rows at all, is marked as estimated wherever it is shown.
    Written only by workdays.calendar_load (manage.py load_holidays, the admin's notice form).
    """

    class Source(models.TextChoices):
        NOTICE = "notice", _("State Council notice")
        PACKAGE = "package", _("Holiday package (from the notice)")
        ESTIMATED = "estimated", _("Estimated (no notice yet)")

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("Ticked: a weekend day that is worked. Unticked: a day off.")
    )
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("For example 春节 or 调休上班."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.NOTICE)
    # every load that adds, changes or replaces a day leaves its trace
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".rstrip()
