"""What the my-work tests share: their day (Monday 15 June 2026), the page's address, concerns owned."""

import datetime

from django.urls import reverse

from fieldwork.models import Concern
from tests.factories import ConcernFactory

TODAY = datetime.date(2026, 6, 15)
URL = reverse("fieldwork:my-work")


def on(days: int) -> datetime.date:
    """TODAY shifted by `days` (negative: in the past)."""
    return TODAY + datetime.timedelta(days=days)


def mine(unit, owner, due_in: int, status=Concern.Status.OPEN, **kwargs) -> Concern:
    return ConcernFactory(unit=unit, owner=owner, due_date=on(due_in), status=status, **kwargs)


def keys(section) -> list[tuple[str, int]]:
    return [("action" if item.action else "concern", (item.action or item.concern).pk) for item in section.items]
