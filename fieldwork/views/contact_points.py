"""Contact points (联系点) of a unit's subtree: the list behind the dashboard figure, the leader's form
to assign a cadre to the unit, and ending one. Works without JavaScript (the picker's Find button
sends the form back)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import contact_points, display, scope
from ..errors import DomainError
from ..forms.contact_points import ContactPointEndForm, ContactPointForm
from ..forms.people import picker_search_sent, unchecked
from ..models import ContactPoint, Unit
from ..services import contact_points as services


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def unit_contact_points(request, pk):
    """GET: the subtree's current contact points, most overdue first (`?overdue=1`: only those not
    visited within their interval). POST (a leader of the unit): assign a cadre to this unit."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    may_assign = scope.is_leader_of(request.user, unit)
    form = None
    if request.method == "POST":
        if not may_assign:
            raise PermissionDenied
        form = ContactPointForm(request.POST, prefix="assign", user=request.user)
        if picker_search_sent(request):
            unchecked(form)
        elif form.is_valid():
            try:
                point = services.contact_point_assign(by=request.user, unit=unit, **form.cleaned_data)
            except DomainError as error:
                form.add_error("cadre", str(error))
            else:
                messages.success(
                    request,
                    _("%(cadre)s now answers for %(unit)s.")
                    % {"cadre": display.display_name(point.cadre), "unit": unit.name},
                )
                return redirect("fieldwork:unit-contact-points", pk=unit.pk)
    elif may_assign:
        form = ContactPointForm(prefix="assign", user=request.user)
    return _render(
        request, unit, form=form, may_assign=may_assign, status=200 if form is None or not form.errors else 400
    )


def _render(request, unit: Unit, *, form, may_assign: bool, status: int = 200):
    today = timezone.localdate()
    unvisited = request.GET.get("overdue") == "1"
    page = contact_points.listing(
        unit=unit,
        today=today,
        unvisited=unvisited,
        after=request.GET.get("after"),
        size=settings.FIELDWORK["PAGE_SIZE"],
    )
    base = [("overdue", "1")] if unvisited else []
    rows = [
        {"point": point, "days": point.days_since_visit(today), "overdue": point.is_overdue(today)}
        for point in page.page.rows
    ]
    return render(
        request,
        "fieldwork/contact_points/list.html",
        {
            "unit": unit,
            "rows": rows,
            "count": page.count,
            "capped": page.capped,
            "unvisited": unvisited,
            "first_query": urlencode(base),
            "next_query": urlencode([*base, ("after", page.page.next_cursor)]) if page.page.next_cursor else "",
            "later": page.page.later,
            "form": form,
            "may_assign": may_assign,
            "end_form": ContactPointEndForm(prefix="end") if may_assign else None,
        },
        status=status,
    )


@require_POST
@login_required
def contact_point_end(request, pk):
    """End a contact point's term with a reason (a leader of its unit); it is kept, never deleted."""
    point = get_object_or_404(ContactPoint.objects.visible_to(request.user).select_related("unit"), pk=pk)
    if not scope.is_leader_of(request.user, point.unit):
        raise PermissionDenied
    form = ContactPointEndForm(request.POST, prefix="end")
    target = reverse("fieldwork:unit-contact-points", args=[point.unit_id])
    if not form.is_valid():
        messages.error(request, _("Say why this contact point ends."))
        return redirect(target)
    try:
        services.contact_point_end(point=point, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The contact point has ended; it stays in the records."))
    return redirect(target)
