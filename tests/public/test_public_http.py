"""The public pages over HTTP: CSRF enforced, allowed methods only, never cached, flat queries."""

import pytest
from django.test import Client

from fieldwork.models import Concern, ConcernEvent
from tests.factories import ConcernEventFactory, category
from tests.public.helpers import RAISE_URL, TRACK_URL, raised, track

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_csrf_is_enforced(team_a):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(RAISE_URL, {"description": "x", "category": category().pk}).status_code == 403
    assert strict.post(TRACK_URL, {"code": "ABCD-EFGH-JKMN"}).status_code == 403
    assert strict.post("/s/track/callback/", {"version": 1, "satisfaction": "satisfied"}).status_code == 403
    assert Concern.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/s/track/callback/"), ("get", "/s/track/forget/"), ("post", "/s/team-a/receipt/"), ("put", RAISE_URL)],
)
def test_methods(anon, team_a, method, url):
    assert getattr(anon, method)(url).status_code == 405


@pytest.mark.parametrize("url", [RAISE_URL, TRACK_URL, "/s/team-a/receipt/"])
def test_public_pages_are_not_cached(anon, team_a, url):
    assert "no-store" in anon.get(url)["Cache-Control"]


@pytest.mark.parametrize("events", [2, 30])
def test_tracking_page_queries_do_not_grow(anon, team_a, django_assert_num_queries, events):
    concern, code = raised(team_a)
    for _ in range(events):
        ConcernEventFactory(concern=concern, kind=ConcernEvent.Kind.DUE_CHANGED)
    track(anon, code)
    anon.get(TRACK_URL)  # warm the session
    # session, concern, timeline, its shareable photos, the calendar (is the due date estimated?)
    with django_assert_num_queries(5):
        assert anon.get(TRACK_URL).status_code == 200


@pytest.mark.parametrize("categories", [0, 20])
def test_raise_form_queries_do_not_grow(anon, team_a, django_assert_num_queries, categories):
    from fieldwork.models import Category

    for n in range(categories):
        Category.objects.create(code=f"extra-{n}", name_zh=f"类{n}", name_en=f"Extra {n}", ordering=100 + n)
    anon.get(RAISE_URL)
    # unit, categories: the form's submission key is signed, not kept in the session (issue 15)
    with django_assert_num_queries(2):
        assert anon.get(RAISE_URL).status_code == 200
