"""Pages that belong to no one area: my work, the unit search behind every unit picker, health; and the
message after signing out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import contact_points, pairings, scope, selectors
from ..inputs import search_text
from ..models import Unit

LANDING_SESSION_KEY = "fieldwork_landing_unit"  # the landing unit's id (0: My work), as last read or set


def landing_unit(user) -> Unit | None:
    """The unit whose dashboard a leader chose to land on, while they still lead it; else None."""
    from ..models import UserPreference

    if not user.is_authenticated or not scope.leads_anything(user):
        return None  # only leaders choose: no query for anyone else
    preference = UserPreference.objects.filter(user=user, landing_unit__active=True).select_related("landing_unit")
    preference = preference.first()
    if preference is None or preference.landing_unit is None:
        return None
    return preference.landing_unit if scope.is_leader_of(user, preference.landing_unit) else None


@require_safe
@login_required
def home(request):
    """The home address: the dashboard a leader chose to land on (UserPreference), else My work."""
    unit = landing_unit(request.user)
    if request.session.get(LANDING_SESSION_KEY) != (unit.pk if unit is not None else 0):
        request.session[LANDING_SESSION_KEY] = unit.pk if unit is not None else 0
    if unit is not None:
        return redirect("fieldwork:unit-dashboard", pk=unit.pk)
    return my_work(request)


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
    # A leader's landing page, with no query of its own (tests/my_work counts them): whether they lead
    # comes from the memberships every page reads, the choice from the session (home writes it).
    context["leads"] = scope.leads_anything(request.user)
    context["landing_pk"] = request.session.get(LANDING_SESSION_KEY) or None
    context["contact_points"] = contact_points.my_work_rows(user=request.user, today=timezone.localdate())  # 联系点
    # the cadre's paired workers, the longest without contact first (one query, fieldwork.pairings)
    context["my_pairings"] = pairings.my_pairings(user=request.user, today=timezone.localdate())
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


def led_units(user, limit: int = 20) -> list[Unit]:
    """The units a user leads (their own memberships as leader, highest first), for the navigation's
    dashboard and the landing page choice; a superuser without one leads the top units."""
    if not user.is_authenticated:
        return []
    leader = scope._leader_role()
    paths = [path for path, role in scope.memberships_of(user) if role == leader]
    if paths:
        return list(Unit.objects.filter(path__in=paths, active=True).order_by("depth", "name", "pk")[:limit])
    if user.is_superuser:
        return list(Unit.objects.filter(parent__isnull=True, active=True).order_by("name", "pk")[:limit])
    return []
