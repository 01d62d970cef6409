"""The visit form's POST data, with concern rows."""

from django.utils import timezone

from fieldwork.models import Visit
from tests.factories import category, principle


def visit_post(unit_, *, concerns=(), **overrides):
    """The POST body of the visit form, with inline concerns given as dicts."""
    data = {
        "unit": unit_.pk,
        "date": timezone.localdate().isoformat(),
        "form": Visit.Form.HEART_TO_HEART,
        "location": "Night shift room",
        "people_reached": "4",
        "summary": "They asked about the canteen hours.",
        "principles": [principle("pragmatism").pk, principle("positioning").pk],
        "concerns-TOTAL_FORMS": str(len(concerns)),
        "concerns-INITIAL_FORMS": "0",
        "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "20",
    }
    for index, concern in enumerate(concerns):
        defaults = {"title": f"Concern {index}", "category": category().pk, "priority": "normal"}
        for key, value in {**defaults, **concern}.items():
            data[f"concerns-{index}-{key}"] = value
    data.update(overrides)
    return data
