"""A concern step with a bad version changes nothing."""

from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from fieldwork.models import Concern
from tests.fuzz.helpers import FUZZ, HOSTILE, counts


def is_version(value: str, version: int) -> bool:
    """Whether a form would read this value as the concern's current version."""
    try:
        return forms.IntegerField().clean(value) == version
    except forms.ValidationError:
        return False


def test_concern_steps_with_a_bad_version_change_nothing(client_for, cadre_a, leader_branch, world):
    concern = world["concern"]
    # url name: (form prefix, fields)
    steps = {
        "fieldwork:concern-start": ("start", ["note"]),
        "fieldwork:concern-resolve": ("resolve", ["resolution"]),
        "fieldwork:concern-assess": ("assess", ["solvability", "note"]),
        "fieldwork:concern-callback": ("callback", ["satisfaction", "channel", "date", "comment", "new_due_date"]),
        "fieldwork:concern-withdraw": ("withdraw", ["reason"]),
        "fieldwork:concern-reassign": ("reassign", ["owner", "note"]),
        "fieldwork:concern-set-due": ("set_due", ["due_date", "note"]),
        "fieldwork:concern-extension-request": ("extension", ["requested_due_date", "reason"]),
    }
    client = client_for(leader_branch)

    @FUZZ
    @given(
        st.sampled_from(sorted(steps)),
        HOSTILE.filter(lambda v: not is_version(v, concern.version)),
        st.data(),
        st.booleans(),
    )
    def check(name, version, data, htmx):
        prefix, names = steps[name]
        fields = data.draw(st.dictionaries(st.sampled_from(names), HOSTILE))
        post = {f"{prefix}-{key}": value for key, value in {**fields, "version": version}.items()}
        before, status = counts(), Concern.objects.get(pk=concern.pk).status
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = client.post(reverse(name, args=[concern.pk]), post, **headers)
        assert response.status_code < 500, (name, fields, version)
        assert counts() == before
        assert Concern.objects.get(pk=concern.pk).status == status

    check()
