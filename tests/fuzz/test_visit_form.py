"""Hostile values in the visit form save nothing invalid."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.helpers import FUZZ, HOSTILE, counts, visit_form

VISIT_FIELDS = [
    "date",
    "form",
    "people_reached",
    "location",
    "summary",
    "principles",
    "cadres",
    "total",
    "initial",
    "title",
    "category",
    "priority",
    "description",
]


def test_visit_form_with_hostile_values_saves_nothing_invalid(client_for, cadre_a, world):
    client = client_for(cadre_a)

    @FUZZ
    @given(
        # not a small id the cadre may use; "²" and "٣" are digits to str.isdigit, not to int() nor to the app
        HOSTILE.filter(lambda v: not (v.isascii() and v.isdigit()) or int(v) > 10**6),
        st.dictionaries(st.sampled_from(VISIT_FIELDS), HOSTILE),
    )
    def check(unit_value, fields):
        before = counts()
        response = client.post(reverse("fieldwork:visit-create"), visit_form(unit_value, fields))
        assert response.status_code < 500
        assert counts() == before  # the unit is never one the cadre may use

    check()
