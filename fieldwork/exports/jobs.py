"""Files prepared in the background by the task queue: ask, make, serve, expire.

- `export_request` records what a person asked for (an Export row) and enqueues `export_build`, in
  one transaction: the view calls it through a submission key (fieldwork.submissions), so a resend
  or a double tap asks once.
- `export_build` (a task) writes the file to a local temporary file as the rows come, reporting rows
  done of rows to do, then keeps it in Django's default storage, which every web server and worker
  shares (a worker may run on another machine).
- `export_visible` is the check a download makes at download time: the person who asked may still
  see every unit whose data the file holds.
- `exports_expire` (a daily task) deletes the files kept longer than EXPORT_KEEP_DAYS; the rows stay
  as the trace of who took which data out.
"""

from __future__ import annotations

import datetime
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django_tasks import TaskContext, task

from .. import periods
from ..filters import CallbackFilter, OverdueFilter
from ..models import Export, Unit
from ..spreadsheets import workbook_write
from ..tasks import task_progress
from . import Progress
from .callbacks import callback_count, callback_workbook
from .ledger import ledger_count, ledger_workbook
from .overdue import overdue_count, overdue_csv, overdue_workbook
from .printable import ledger_page_write

LEDGER_KINDS = {Export.Kind.LEDGER_XLSX, Export.Kind.LEDGER_PAGE}


def export_request(*, user, kind: str, title: str, filename: str, units: list[Unit], params: dict) -> Export:
    """Record a file asked for and put its making on the queue; returns the Export to follow."""
    with transaction.atomic():
        export = Export.objects.create(
            kind=kind,
            title=title[:300],
            filename=filename,
            requested_by=user,
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        export.units.set(units)
        result = export_build.enqueue(export_id=str(export.pk))
        export.task_id = str(result.id)
        export.save(update_fields=["task_id"])
    return export


def export_visible(export: Export, user) -> bool:
    """May this person have this file now: they asked for it, and they still see every unit it holds."""
    if export.requested_by_id != user.pk:
        return False
    wanted = set(export.units.values_list("pk", flat=True))
    return wanted <= set(Unit.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


@task(takes_context=True)
def export_build(context: TaskContext, *, export_id: str) -> int:
    """Make the file of an Export: returns the rows written."""
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    if export.status != Export.Status.QUEUED:
        return export.rows or 0  # a retry of a file already made or given up
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING)
    progress = Progress(lambda done, total: task_progress(context, done=done, total=total))
    try:
        if not export_visible(export, export.requested_by):
            raise PermissionError("The person who asked no longer sees these units.")
        with translation.override(export.language), tempfile.TemporaryFile() as output:
            _write(export, output, progress)
            size = output.tell()
            output.seek(0)
            export.file.save(export.filename, File(output), save=False)
    except Exception as error:
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    export.status = Export.Status.READY
    export.rows, export.size = progress.done, size
    export.finished_at = timezone.now()
    export.expires_on = timezone.localdate() + datetime.timedelta(days=settings.FIELDWORK["EXPORT_KEEP_DAYS"])
    export.save(update_fields=["status", "file", "rows", "size", "finished_at", "expires_on"])
    return progress.done


def _write(export: Export, output, progress: Progress) -> None:
    user = export.requested_by
    today = timezone.localdate()
    if export.kind in LEDGER_KINDS:
        unit = Unit.objects.get(pk=export.params["unit"])
        period = periods.period_parse(
            period=export.params.get("period", ""),
            date_from=export.params.get("from", ""),
            date_to=export.params.get("to", ""),
        )
        progress.expect(ledger_count(unit=unit, period=period))
        if export.kind == Export.Kind.LEDGER_XLSX:

            def fill(workbook, formats) -> None:
                ledger_workbook(workbook, formats, unit=unit, period=period, user=user, today=today, progress=progress)

            workbook_write(output, fill)
        else:
            ledger_page_write(output, unit=unit, period=period, user=user, today=today, progress=progress)
        return
    if export.kind == Export.Kind.CALLBACKS_XLSX:
        chosen = CallbackFilter(QueryDict(export.params.get("query", "")), user=user).selection()
        progress.expect(callback_count(user=user, today=today, chosen=chosen, cap=10**9))

        def fill_callbacks(workbook, formats) -> None:
            callback_workbook(workbook, formats, user=user, today=today, chosen=chosen, progress=progress)

        workbook_write(output, fill_callbacks)
        return
    chosen = OverdueFilter(QueryDict(export.params.get("query", "")), user=user).selection()
    progress.expect(overdue_count(user=user, today=today, chosen=chosen, cap=10**9))
    if export.kind == Export.Kind.OVERDUE_XLSX:

        def fill(workbook, formats) -> None:
            overdue_workbook(workbook, formats, user=user, today=today, chosen=chosen, progress=progress)

        workbook_write(output, fill)
    else:
        for line in overdue_csv(user=user, today=today, chosen=chosen, progress=progress):
            output.write(line.encode("utf-8"))


@task
def exports_expire(*, today: str | None = None) -> int:
    """Delete from storage the files kept past their day; returns how many. The rows stay."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    deleted = 0
    for export in Export.objects.filter(status=Export.Status.READY, expires_on__lt=day).iterator():
        if export.file:
            export.file.delete(save=False)
        export.status = Export.Status.EXPIRED
        export.deleted_at = timezone.now()
        export.save(update_fields=["status", "file", "deleted_at"])
        deleted += 1
    return deleted
