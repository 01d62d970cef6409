"""Files prepared in the background (fieldwork/exports/jobs.py): asking for one, following its
progress, "My files", and the download, which checks access again at download time.

Only the person who asked sees a file, and only while they still see every unit whose data it holds:
anything else is a 404, like any record outside a person's units.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus

from .. import submissions
from ..exports.jobs import export_visible
from ..models import Export
from ..tasks import task_state

LIST_SIZE = 50


def export_prepare(request, *, back: str, make: Callable[[], Export]) -> HttpResponse:
    """A POST asking for a file: made once per opening of the form (its submission key), then the
    person follows it on its own page. `back` is the page the form was on."""
    key = submissions.submission_key_read(request.POST, "export", request.user)
    if key is None and submissions.submission_key_refused(request.POST):
        messages.error(request, submissions.refused_message())
        return redirect(back)
    export, created = submissions.submission_make(key, request.user, make)
    if not created:
        messages.info(request, _("You asked for this file already: here it is."))
    return redirect("fieldwork:export-detail", pk=export.pk)


def _own_export(request, pk) -> Export:
    export = get_object_or_404(Export.objects.select_related("requested_by"), pk=pk)
    if not export_visible(export, request.user):
        raise Http404
    return export


@require_safe
@login_required
def export_detail(request, pk):
    """A prepared file's page: its progress, polled by htmx until it ends, then its download."""
    export = _own_export(request, pk)
    state = task_state(export.task_id) if export.task_id and not export.finished else None
    if state is not None and state.status == TaskResultStatus.FAILED:
        export.status = Export.Status.FAILED  # the worker stopped without a word: shown, not stored
    return render(request, "fieldwork/exports/detail.html", {"export": export, "progress": state})


@require_safe
@login_required
def export_list(request):
    """My files: the latest files the person asked for."""
    exports = Export.objects.filter(requested_by=request.user).order_by("-requested_at")[:LIST_SIZE]
    return render(
        request,
        "fieldwork/exports/list.html",
        {"exports": exports, "keep_days": settings.FIELDWORK["EXPORT_KEEP_DAYS"]},
    )


@require_safe
@login_required
def export_download(request, pk):
    """The file, read from the default storage; access checked again now, not when it was asked for."""
    export = _own_export(request, pk)
    if export.status != Export.Status.READY or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=export.filename)
