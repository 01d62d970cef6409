"""Hostile values for Hypothesis and the settings every fuzz test runs with."""

from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from fieldwork.models import Concern, ConcernEvent, Feedback, FollowUpAction, Visit

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "-1",
            "0",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "2026-13-45",
            "0000-00-00",
            "9999-12-31",
            "../../etc/passwd",
            "\u202eevil",
            "𝕏" * 20,
            "\r\n\t",
            "x" * 20_000,
            "__proto__",
            "password",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def counts():
    return tuple(model.objects.count() for model in (Visit, Concern, ConcernEvent, FollowUpAction, Feedback))


def visit_form(unit_value, fields):
    data = {
        "unit": unit_value,
        "date": fields.get("date", timezone.localdate().isoformat()),
        "form": fields.get("form", "symposium"),
        "people_reached": fields.get("people_reached", "3"),
        "location": fields.get("location", ""),
        "summary": fields.get("summary", ""),
        "principles": fields.get("principles", ""),
        "cadres": fields.get("cadres", ""),
        "concerns-TOTAL_FORMS": fields.get("total", "1"),
        "concerns-INITIAL_FORMS": fields.get("initial", "0"),
        "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "20",
        "concerns-0-title": fields.get("title", "t"),
        "concerns-0-category": fields.get("category", ""),
        "concerns-0-priority": fields.get("priority", "normal"),
        "concerns-0-description": fields.get("description", ""),
    }
    return {key: value for key, value in data.items() if key not in {"principles", "cadres"} or key in fields}
