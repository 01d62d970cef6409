"""Sorting the concern list by a whitelisted column, both ways."""

import datetime

from django.utils import timezone

from tests.concerns.list_helpers import LIST, references
from tests.factories import ConcernFactory


def test_sorting_by_a_whitelist(client_for, team_a, cadre_a):
    today = timezone.localdate()
    now = timezone.now()
    rows = [
        ("FW-2026-000011", "normal", "resolved", 20, 3),
        ("FW-2026-000012", "urgent", "open", 5, 2),
        ("FW-2026-000013", "long_term", "in_progress", 40, 1),
    ]
    for reference, priority, status, due, age in rows:
        ConcernFactory(
            reference=reference,
            unit=team_a,
            priority=priority,
            status=status,
            resolution="Done." if status == "resolved" else "",
            due_date=today + datetime.timedelta(days=due),
            raised_at=now - datetime.timedelta(days=age),
        )
    client = client_for(cadre_a)

    def order(sort):
        return [ref[-2:] for ref in references(client.get(LIST, {"sort": sort}))]

    assert order("raised") == ["13", "12", "11"]
    assert order("-raised") == ["11", "12", "13"]
    assert order("due") == ["12", "11", "13"]
    assert order("-due") == ["13", "11", "12"]
    assert order("status") == ["12", "13", "11"]
    assert order("priority") == ["12", "11", "13"]
    # Anything else is the default order, never handed to order_by.
    for bad in ("title", "-pk", "raised_at", "unit__name", "1; DROP TABLE", ""):
        response = client.get(LIST, {"sort": bad}, follow=True)  # an empty one is redirected away
        assert response.status_code == 200
        assert [ref[-2:] for ref in references(response)] == ["13", "12", "11"]
