"""Hostile filter values on every list never give a 500."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.helpers import FUZZ, HOSTILE

LISTS = {
    "fieldwork:visit-list": ["unit", "date_from", "date_to", "form", "principle", "cadre", "page", "o", "sort"],
    "fieldwork:concern-list": [
        "unit",
        "status",
        "owner",
        "category",
        "principle",
        "priority",
        "overdue",
        "source",
        "q",
        "sort",
        "after",
        "supervised",
        "raised_from",
        "raised_to",
        "order_by",
        "password",
    ],
    "fieldwork:overdue-list": ["unit", "owner", "concerns_after", "actions_after", "supervised", "sort"],
    "fieldwork:overdue-export-csv": ["unit", "owner", "supervised"],
    "fieldwork:overdue-export-xlsx": ["unit", "owner"],
    "fieldwork:unit-search": ["q"],
    "fieldwork:concern-supervised-list": ["unit", "after"],
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_filters_never_fail(client_for, leader_branch, world, name):
    client = client_for(leader_branch)
    keys = LISTS[name]

    @FUZZ
    @given(st.dictionaries(st.sampled_from(keys), HOSTILE, max_size=len(keys)))
    def check(params):
        response = client.get(reverse(name), params)
        if response.streaming:  # the exports: read them through, so the test client closes them cleanly
            b"".join(response.streaming_content)
        assert response.status_code < 500, (name, params)

    check()
