"""One concern in each unit, with distinct traits to filter on."""

import pytest
from django.utils import timezone

from fieldwork import workdays
from fieldwork.models import Concern
from tests.factories import ConcernFactory, category, principle


@pytest.fixture
def spread(team_a, sub_a, team_b, other_branch, cadre_a):
    """One concern in each unit, with distinct traits to filter on."""
    today = timezone.localdate()
    made = {
        "a": ConcernFactory(reference="FW-2026-000001", unit=team_a, owner=cadre_a, title="Canteen hours"),
        "sub": ConcernFactory(
            reference="FW-2026-000002",
            unit=sub_a,
            title="Flickering lights",
            priority=Concern.Priority.URGENT,
            due_date=workdays.add_working_days(today, -4),
            category=category("working_conditions"),
            source=Concern.Source.PUBLIC,
        ),
        "b": ConcernFactory(
            reference="FW-2026-000003",
            unit=team_b,
            title="Boots",
            description="Work boots wear out in a month.",
            status=Concern.Status.IN_PROGRESS,
        ),
        "other": ConcernFactory(reference="FW-2026-000004", unit=other_branch, title="Dispatch desk"),
    }
    made["a"].principles.set([principle("pragmatism")])
    return made
