"""Pages that belong to no one area: my work, the unit search behind every unit picker, health; and the
message after signing out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import contact_points, selectors
from ..inputs import search_text
from ..models import Unit


@require_safe
@login_required
def my_work(request):
    context = selectors.my_work(user=request.user)
    # Each section shows its first rows; these lists hold them all.
    active = "status=open&status=in_progress&sort=due"
    concerns = reverse("fieldwork:concern-list")
    context["overdue_more_url"] = f"{reverse('fieldwork:overdue-list')}?owner={request.user.pk}"
    context["mine_more_url"] = f"{concerns}?owner={request.user.pk}&{active}"
    context["unassigned_more_url"] = f"{concerns}?owner=null&{active}"
    context["contact_points"] = contact_points.my_work_rows(user=request.user, today=timezone.localdate())  # 联系点
    return render(request, "fieldwork/core/my_work.html", context)


@require_safe
@login_required
def unit_search(request):
    """Units in the user's scope matching a name or code, for the searchable unit picker."""
    query = search_text(request.GET.get("q"), max_length=50)
    units = Unit.objects.visible_to(request.user).filter(active=True)
    if query:
        units = units.filter(name__icontains=query) | units.filter(code__icontains=query)
    rows = list(units.order_by("path").values("pk", "name", "code", "depth")[:30])
    return JsonResponse({"results": [{"value": r["pk"], "text": r["name"], "code": r["code"]} for r in rows]})


@never_cache
@require_safe
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def signed_out(sender, request, user, **kwargs) -> None:
    """The sign-in page after signing out says so: on a phone shared at a substation, the next person
    sees that the last one's session has ended. (Connected in apps.py to user_logged_out.)"""
    if request is not None:
        # fail_silently: a request without the message middleware (the test client's logout) has none.
        messages.info(request, _("You have signed out."), fail_silently=True)
