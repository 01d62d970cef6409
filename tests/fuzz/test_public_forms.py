"""Hostile values in the public forms never give a 500."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.helpers import FUZZ, HOSTILE, counts


def test_public_forms_never_fail(client, world, team_a):
    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from(["description", "category", "anonymous", "name", "contact", "website", "token"]), HOSTILE
        ),
        HOSTILE,
    )
    def check(fields, code):
        before = counts()
        response = client.post(reverse("fieldwork:public-raise", args=[team_a.code]), {**fields, "category": "x"})
        assert response.status_code < 500
        assert counts() == before  # an unknown category is always invalid
        response = client.post(reverse("fieldwork:public-track"), {"code": code})
        assert response.status_code < 500

    check()
