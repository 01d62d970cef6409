"""What the extension tests share: the concern's due date, the later date asked for, and the steps over HTTP."""

import datetime

from django.urls import reverse

from fieldwork.models import Concern
from fieldwork.services import extensions as extension_services

DUE = datetime.date(2026, 9, 30)
LATER = datetime.date(2026, 10, 15)
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, concern, *args):
    return reverse(f"fieldwork:{name}", args=[concern.pk, *args])


def fresh(concern):
    return Concern.objects.get(pk=concern.pk)


def requested(concern, by, day=LATER, reason="Parts on order."):
    return extension_services.extension_request(concern=concern, by=by, requested_due_date=day, reason=reason)


def page(client, concern) -> str:
    return client.get(concern.get_absolute_url()).content.decode()


def decide(client, concern, request, decision, *, note="", version=None, **extra):
    data = {
        "decide-version": version if version is not None else fresh(concern).version,
        "decide-decision": decision,
        "decide-note": note,
    }
    return client.post(url("concern-extension-decide", concern, request.pk), data, **extra)
