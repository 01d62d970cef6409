"""Hostile input, driven by Hypothesis: no page answers 500, an invalid submission saves nothing,
unknown keys and extra fields are ignored, and stored script payloads render as text."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldwork.models import Concern, ConcernEvent, Feedback, FollowUpAction, Visit
from tests.factories import ConcernFactory, VisitFactory, category

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


def is_version(value: str, version: int) -> bool:
    """Whether a form would read this value as the concern's current version."""
    try:
        return forms.IntegerField().clean(value) == version
    except forms.ValidationError:
        return False


def counts():
    return tuple(model.objects.count() for model in (Visit, Concern, ConcernEvent, FollowUpAction, Feedback))


@pytest.fixture
def world(team_a, cadre_a, leader_branch):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    concern = ConcernFactory(unit=team_a, owner=cadre_a, visit=visit, title="<script>alert('t')</script>")
    return {"visit": visit, "concern": concern}


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
        HOSTILE.filter(lambda v: not v.isdigit() or int(v) > 10**6),
        st.dictionaries(st.sampled_from(VISIT_FIELDS), HOSTILE),
    )
    def check(unit_value, fields):
        before = counts()
        response = client.post(reverse("fieldwork:visit-create"), visit_form(unit_value, fields))
        assert response.status_code < 500
        assert counts() == before  # the unit is never one the cadre may use

    check()


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


def test_extra_fields_are_ignored(client_for, cadre_a, leader_branch, team_a, world):
    client = client_for(cadre_a)
    data = visit_form(team_a.pk, {"title": "Extra fields", "category": category().pk})
    data.update(
        {
            "author": leader_branch.pk,
            "status": "closed",
            "concerns-0-status": "closed",
            "concerns-0-owner": leader_branch.pk,
        }
    )
    assert client.post(reverse("fieldwork:visit-create"), data).status_code == 302
    visit = Visit.objects.latest("id")
    assert visit.author == cadre_a
    concern = visit.concerns.get()
    assert concern.status == Concern.Status.OPEN and concern.owner == cadre_a

    target = world["concern"]
    client.post(
        reverse("fieldwork:concern-start", args=[target.pk]),
        {
            "start-version": target.version,
            "status": "closed",
            "start-status": "closed",
            "owner": leader_branch.pk,
            "start-owner": leader_branch.pk,
            "unit": 999,
        },
    )
    target.refresh_from_db()
    assert target.status == Concern.Status.IN_PROGRESS and target.owner == cadre_a and target.unit_id == team_a.pk


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("fieldwork:concern-detail", args=[w["concern"].pk]),
        lambda w: reverse("fieldwork:concern-list"),
        lambda w: reverse("fieldwork:visit-detail", args=[w["visit"].pk]),
        lambda w: reverse("fieldwork:my-work"),
        lambda w: reverse("fieldwork:overdue-list"),
    ],
)
def test_stored_script_renders_as_text(client_for, cadre_a, world, url):
    concern = world["concern"]
    Concern.objects.filter(pk=concern.pk).update(due_date=timezone.localdate() - timezone.timedelta(days=3))
    html = client_for(cadre_a).get(url(world)).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
