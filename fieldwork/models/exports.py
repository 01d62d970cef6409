"""Files prepared in the background: a ledger or an export too large to make during a request
(fieldwork/exports/jobs.py makes them; fieldwork/views/exports.py shows and serves them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """One file asked for: what, of which units, by whom, how far it has gone, and where it is kept.

    The row stays after its file has expired and been deleted from storage: it is the trace of who
    took which data out, and when.
    """

    class Kind(models.TextChoices):
        LEDGER_XLSX = "ledger_xlsx", _("Monthly ledger, workbook")
        LEDGER_PAGE = "ledger_page", _("Monthly ledger, page to print")
        OVERDUE_XLSX = "overdue_xlsx", _("Overdue concerns and actions, workbook")
        OVERDUE_CSV = "overdue_csv", _("Overdue concerns and actions, CSV")
        CALLBACKS_XLSX = "callbacks_xlsx", _("Concerns awaiting a callback, workbook")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Deleted after its time")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # The units whose data the file holds: the person must still see every one of them to download it.
    units = models.ManyToManyField("fieldwork.Unit", verbose_name=_("units"), related_name="+")
    params = models.JSONField(_("what was asked"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_on = models.DateField(_("kept until"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        ordering = ["-requested_at"]
        indexes = [
            # "my files" (views/exports.py): a person's latest first
            models.Index(fields=["requested_by", "-requested_at"], name="export_by_requester"),
            # the daily clean-up: ready files past their day (jobs.exports_expire)
            models.Index(fields=["expires_on"], name="export_ready_expiry", condition=models.Q(status="ready")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED, self.Status.EXPIRED}
