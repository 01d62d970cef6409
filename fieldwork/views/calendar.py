"""The working-day calendar as leaders meet it: the due dates a newly loaded notice would move,
applied in one step (the calendar itself is kept in the admin and by manage.py load_holidays)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .. import scope, selectors
from ..services import concerns as concern_services

# Rows shown on the page; the count says how many there are in all.
SHOWN = 200


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def due_shift_list(request):
    """GET: the open concerns of the units I lead whose due date the new calendar moves.
    POST: move them (a few hundred a request; the page offers the rest again)."""
    if not scope.leads_anything(request.user):
        raise PermissionDenied(_("Only a unit's leaders move its due dates."))
    shifts = selectors.due_shifts_pending(user=request.user).order_by("due_date_before", "id")
    if request.method == "POST":
        applied = concern_services.concern_due_shifts_apply(shifts=shifts, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d due date moved to the new calendar.",
                "%(count)d due dates moved to the new calendar.",
                applied,
            )
            % {"count": applied},
        )
        return redirect("fieldwork:due-shift-list")
    total = shifts.count()
    return render(
        request,
        "fieldwork/calendar/due_shifts.html",
        {
            "shifts": list(shifts[:SHOWN]),
            "total": total,
            "shown": SHOWN,
            "per_request": concern_services.DUE_SHIFTS_PER_REQUEST,
        },
    )
