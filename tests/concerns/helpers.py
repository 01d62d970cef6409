"""Steps the concern tests take again and again, and the moment their clock marks."""

import datetime
import zoneinfo

from django.urls import reverse

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


def started(concern, by):
    return concern_services.concern_start(concern=concern, by=by, version=concern.version)


def resolved(concern, by):
    if concern.status == Concern.Status.OPEN:
        started(concern, by)
    return concern_services.concern_resolve(
        concern=concern, by=by, version=concern.version, resolution="Replaced the ballast."
    )


def kinds(concern):
    return list(concern.events.values_list("kind", flat=True))


HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, concern, *args):
    return reverse(f"fieldwork:{name}", args=[concern.pk, *args])


def start(client, concern, **extra):
    return client.post(url("concern-start", concern), {"start-version": concern.version}, **extra)


def fresh(concern):
    return Concern.objects.get(pk=concern.pk)
