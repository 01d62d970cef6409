"""Reads that aggregate: my-work lists, overdue lists, dashboard figures."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Concern, FollowUpAction, Visit

DUE_SOON_DAYS = 7


def my_work(*, user, today: datetime.date | None = None) -> dict:
    """What a signed-in person should look at first: their open concerns, overdue first, and their visits."""
    today = today or timezone.localdate()
    mine = (
        Concern.objects.visible_to(user)
        .filter(owner=user, status__in=Concern.ACTIVE_STATUSES)
        .select_related("unit", "category")
        .order_by("due_date", "id")
    )
    concerns = list(mine[:100])
    actions = list(
        FollowUpAction.objects.filter(
            owner=user, done_at__isnull=True, concern__in=Concern.objects.visible_to(user)
        )
        .select_related("concern")
        .order_by("due_date", "id")[:100]
    )
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return {
        "today": today,
        "overdue": [c for c in concerns if c.due_date < today],
        "due_soon": [c for c in concerns if today <= c.due_date <= soon],
        "later": [c for c in concerns if c.due_date > soon],
        "actions": actions,
        "recent_visits": list(
            Visit.objects.visible_to(user)
            .filter(author=user)
            .select_related("unit")
            .order_by("-date", "-id")[:5]
        ),
    }
