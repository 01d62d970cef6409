"""What the ledger tests share: July 2026 as the period, the ledger's address."""

import datetime

from django.urls import reverse
from django.utils import timezone

JULY = {"period": "2026-07"}
CONTACT = "13800001111"


def moment(day: int, month: int = 7) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=timezone.get_default_timezone())


def ledger_url(unit, name="fieldwork:ledger", **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"unit": unit.pk, **JULY, **params}.items())
    return f"{reverse(name)}?{query}"
