"""Steps the concern tests take again and again, and the moment their clock marks."""

import datetime
import zoneinfo

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
