"""The visit form without a signal (issue 19, item 1): the installable app's manifest, its service
worker, what the phone keeps to fill the form offline, and the JSON answer to a visit sent from the phone.

The service worker (static/fieldwork/sw.js, served at /sw.js so that it controls the whole site)
keeps the app shell and the visit form, and keeps a visit saved without a signal in IndexedDB until it
can be sent; static/fieldwork/offline.js shows how many wait, lists them and sends them. A visit is
sent to the normal create view (views/visits.py) with the header `X-Fieldwork-Sync: 1`, which answers
JSON (`sync_made`, `sync_refused`) after the same checks as the page, keyed as fieldwork.submissions
says (a key made on the phone for a form page served from its cache).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import pickers
from ..display import name_of
from ..forms.visits import ConcernFormSet
from ..models import Category, Membership, PersonKey, Principle, Unit, Visit

SYNC_HEADER = "X-Fieldwork-Sync"
SAVED_AT = "saved_at"  # the phone's save time, sent with a visit saved offline

# The app shell the service worker keeps: what base.html loads. A name the static storage does not
# know (a library renamed by another change) is left out rather than breaking the worker; anything
# else under /static/ is kept the first time it is fetched (cache-first: its name carries its hash).
SHELL = [
    "fieldwork/favicon.svg",
    "fieldwork/icon-192.png",
    "fieldwork/icon-512.png",
    "vendor/bootstrap-5.3.9/bootstrap.trimmed.min.css",
    "vendor/bootstrap-icons-1.13.2/subset/bootstrap-icons.css",
    "vendor/bootstrap-icons-1.13.2/subset/bootstrap-icons.woff2",
    "vendor/tom-select-2.6.2/tom-select.bootstrap5.min.css",
    "fieldwork/app.css",
    "vendor/htmx-2.0.11/htmx.min.js",
    "vendor/tom-select-2.6.2/tom-select.complete.min.js",
    "fieldwork/app.js",
    "fieldwork/offline.js",
    "fieldwork/photos.js",
]

# Bounds of what the phone keeps (choices): a unit's colleagues for the people picker, the units
# for the unit picker. Beyond them the pickers search the server, as online.
MAX_COLLEAGUES = 500
MAX_KEYS_PER_PERSON = 40
MAX_UNITS = 300
CONCERN_INDEX = 987654  # the number of the blank concern form kept (sw.js renumbers it)


def _static_urls(names):
    """The addresses of the files that exist (one missing would make the worker's install fail)."""
    urls = []
    for name in names:
        try:
            url = static(name)
        except ValueError:  # not in the manifest of collected files
            continue
        if finders.find(name) or staticfiles_storage.exists(name):
            urls.append(url)
    return urls


def _worker_source() -> tuple[str, str]:
    """The worker's code, and a stamp of the shell's files as found (their hashed names change with
    them in production; in development, without hashes, their times of change stand for them)."""
    stamps = []
    for name in SHELL:
        found = finders.find(name)
        if found:
            stamps.append(f"{name}:{os.stat(found).st_mtime_ns}")
    path = finders.find("fieldwork/sw.js")
    if path is None:
        with staticfiles_storage.open("fieldwork/sw.js") as handle:
            return handle.read().decode(), "|".join(stamps)
    with open(path, encoding="utf-8") as handle:
        return handle.read(), "|".join(stamps)


@require_safe
def service_worker(request):
    """/sw.js: the service worker, at the root so its scope is the whole site. Its first line names the
    shell's real (hashed) addresses and the pages it keeps; a new deployment changes them, and so the
    worker, which then replaces the old one and its caches."""
    shell = _static_urls(SHELL)
    config = {
        "shell": shell,
        "offlinePage": reverse("fieldwork:offline-list"),
        "formPage": reverse("fieldwork:visit-create"),
        "choices": reverse("fieldwork:offline-choices"),
        "concernForm": reverse("fieldwork:offline-concern-form"),
        "session": reverse("fieldwork:offline-session"),
        "peopleSearch": reverse("fieldwork:people-search"),
        "unitSearch": reverse("fieldwork:unit-search"),
        "login": reverse("login"),
        "staticPrefix": settings.STATIC_URL,
    }
    source, stamps = _worker_source()
    version = hashlib.sha256((json.dumps(config, sort_keys=True) + source + stamps).encode()).hexdigest()[:16]
    config["version"] = version
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body = f"const FIELDWORK = {json.dumps(config)};\n{source}"
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # the browser asks each time; unchanged, a 304
    return response


@require_safe
def manifest(request):
    """The web app manifest: installable, opening on the visit form's neighbour, the home page."""
    data = {
        "name": _("Fieldwork"),
        "short_name": _("Fieldwork"),
        "description": _("Grassroots visits and the concerns raised on them."),
        "start_url": reverse("fieldwork:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#9b1c1c",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("fieldwork/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            *[
                {"src": static(f"fieldwork/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in (192, 512)
            ],
        ],
        "shortcuts": [{"name": _("Log a visit"), "url": reverse("fieldwork:visit-create")}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_safe
def session(request):
    """Who is signed in and a fresh CSRF token, asked just before the phone sends what waits: items
    are sent only under the session of the user they belong to."""
    if not request.user.is_authenticated:
        return JsonResponse({"user": None, "login": reverse("login")})
    return JsonResponse({"user": request.user.pk, "csrf": get_token(request)})


def _colleagues(user) -> list[dict]:
    """The people of the user's own units (their memberships'), with the keys they are found by."""
    own = Membership.objects.filter(user=user, unit__active=True).values("unit")
    people = pickers.User.objects.filter(is_active=True).filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), unit__in=own))
    )
    hints = pickers.unit_hint("pk", user)
    rows = list(
        people.annotate(hint=hints)
        .order_by("last_name", "first_name", "username")
        .values("pk", "first_name", "last_name", "username", "hint")[:MAX_COLLEAGUES]
    )
    keys: dict[int, list[list]] = {}
    for user_id, key, start in (
        PersonKey.objects.filter(user__in=[row["pk"] for row in rows])
        .order_by("user", "start", "key")
        .values_list("user", "key", "start")
    ):
        held = keys.setdefault(user_id, [])
        if len(held) < MAX_KEYS_PER_PERSON:
            held.append([key, start])
    return [
        {
            "value": row["pk"],
            "text": name_of(row["first_name"], row["last_name"], row["username"]),
            "hint": row["hint"] or "",
            "keys": keys.get(row["pk"], []),
        }
        for row in rows
    ]


@login_required
@require_safe
def choices(request):
    """The visit form's choices as the phone keeps them, scoped like the data and bounded: the units the
    user may log a visit for (MAX_UNITS), the active principles and categories, and the colleagues of
    the user's own units with their pinyin keys (MAX_COLLEAGUES), so the pickers work offline."""
    units = Unit.objects.visible_to(request.user).filter(active=True).order_by("path")
    unit_rows = list(units.values("pk", "name", "code")[: MAX_UNITS + 1])
    data = {
        "user": request.user.pk,
        "made": timezone.now().isoformat(),
        "units": [{"value": r["pk"], "text": r["name"], "code": r["code"]} for r in unit_rows[:MAX_UNITS]],
        "units_more": len(unit_rows) > MAX_UNITS,
        "principles": [{"value": p.pk, "text": str(p)} for p in Principle.objects.filter(active=True).order_by("pk")],
        "categories": [{"value": c.pk, "text": str(c)} for c in Category.objects.filter(active=True).order_by("pk")],
        "colleagues": _colleagues(request.user),
        "messages": {
            "type": _("Type a name, part of it or its pinyin initials (王卫国: wwg)."),
            "none": _("Nobody you may choose matches “%(query)s”."),
            "more": _("The first %(count)d matches: type more of the name to narrow them.") % {"count": pickers.LIMIT},
            "offline": _("No signal: the people of your own unit are shown."),
        },
        "limit": pickers.LIMIT,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_safe
def concern_form(request):
    """A blank concern form numbered 987654 (the next total 987655), which the service worker numbers
    to add a concern to the visit form offline (online, visits.visit_concern_form answers)."""
    formset = ConcernFormSet(prefix="concerns")
    form = formset._construct_form(CONCERN_INDEX)
    return render(request, "fieldwork/visits/_concern_form.html", {"cform": form, "next_total": CONCERN_INDEX + 1})


@login_required
@require_safe
def offline_list(request):
    """What waits on this phone: offline.js fills the list from IndexedDB (the server has none of it)."""
    return render(request, "fieldwork/offline/list.html", {"form_url": reverse("fieldwork:visit-create")})


# --- the JSON answer of the visit create view to a visit sent from the phone -------------------------


def sync_requested(request, visit) -> bool:
    """The phone sends a waiting visit and wants JSON (a new visit only)."""
    return visit is None and request.method == "POST" and request.headers.get(SYNC_HEADER) == "1"


def saved_at(request) -> datetime.datetime | None:
    """The phone's save time of a visit saved offline (services.visits.visit_checks measures back-dating
    from it), bounded: never later than now, never more than VISIT_OLDEST_DAYS before; unreadable
    or absent, None (now)."""
    raw = request.POST.get(SAVED_AT, "")[:40]
    if not raw:
        return None
    try:
        when = parse_datetime(raw)
    except ValueError:
        return None
    if when is None:
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when, datetime.UTC)
    now = timezone.now()
    oldest = now - datetime.timedelta(days=settings.FIELDWORK["VISIT_OLDEST_DAYS"])
    return min(max(when, oldest), now)


def sync_made(visit: Visit, *, created: bool) -> JsonResponse:
    """The visit made (now, or by an earlier send of the same key) and the references it gave."""
    concerns = list(visit.concerns.order_by("id").values_list("reference", flat=True))
    return JsonResponse(
        {
            "ok": True,
            "created": created,
            "visit": f"V-{visit.pk}",
            "url": visit.get_absolute_url(),
            "concerns": concerns,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def sync_refused(form, formset, photos=None) -> JsonResponse:
    """What the page would show beside each field, by field name (concerns by their prefixed names);
    `confirm` when the visit asks for the confirmation step (a reason, on the form)."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        errors[name] = [str(message) for message in messages]
    if photos is not None and photos.is_bound:
        for name, messages in photos.errors.items():
            errors[name] = [str(message) for message in messages]
    if formset.is_bound:
        for cform in formset.forms:
            for name, messages in cform.errors.items():
                errors[cform.add_prefix(name)] = [str(message) for message in messages]
        non_form = [str(message) for message in formset.non_form_errors()]
        if non_form:
            errors["concerns"] = non_form
    if not errors:
        errors["__all__"] = [_("The visit could not be saved: open it in the form.")]
    return JsonResponse(
        {"ok": False, "errors": errors, "confirm": bool(getattr(form, "confirming", None))},
        status=422,
        json_dumps_params={"ensure_ascii": False},
    )
