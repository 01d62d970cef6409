"""The people picker's search: the matches of what was typed, for htmx (a fragment) and scripts (JSON)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import pickers
from ..inputs import search_text

_FIELD = re.compile(r"[A-Za-z0-9_-]{1,80}")


@require_safe
@login_required
def people_search(request):
    """GET ?kind=colleague&q=… (or ?field=owner&owner__q=…, as the picker's box sends it): at most
    pickers.LIMIT people the user may pick, scoped like the data. An unknown kind, or a unit the user
    may not see (`within`), is a 404. `format=json` answers JSON; anything else the fragment that the
    picker puts under its box, with radio buttons (checkboxes with `multiple=1`) named after `field`."""
    kind = pickers.kind_get(request.GET.get("kind"))
    if kind is None:
        raise Http404("no such kind of people")
    field = request.GET.get("field", "")
    field = field if _FIELD.fullmatch(field) else "person"
    typed = request.GET.get("q", request.GET.get(f"{field}__q"))
    query = search_text(typed, max_length=pickers.QUERY_LENGTH)
    matches = kind.find(user=request.user, query=query, params=request.GET)
    if request.GET.get("format") == "json":
        results = [{"value": c.value, "text": c.label, "hint": c.hint} for c in matches.choices]
        return JsonResponse(
            {"kind": kind.name, "query": query, "results": results, "more": matches.more, "message": matches.message}
        )
    context = {
        "name": field,
        "id": f"id_{field}",
        "multiple": bool(request.GET.get("multiple")),
        "choices": matches.choices,
        "message": matches.message,
    }
    return render(request, "fieldwork/people/_matches.html", context)
