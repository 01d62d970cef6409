"""The person's callback by receipt code: closes or reopens, once; refused before resolution, without a
tracked concern or with a bad answer; a stale one names nobody."""

import re

import pytest

from fieldwork.display import display_name
from fieldwork.models import Concern, Feedback
from tests.public.helpers import NOW, TRACK_URL, raised, resolve, track

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_basically_satisfied_closes(anon, team_a, leader_branch):
    concern, code = raised(team_a)
    resolve(concern, leader_branch)
    track(anon, code)
    anon.post("/s/track/callback/", {"version": concern.version, "satisfaction": "basically"})
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED


def test_dissatisfied_callback_by_code_reopens(anon, team_a, leader_branch):
    concern, code = raised(team_a)
    resolve(concern, leader_branch)
    track(anon, code)
    page = anon.get(TRACK_URL).content.decode()
    assert re.search(r'value="dissatisfied"[^>]*data-confirm="[^"]+"', page)
    anon.post(
        "/s/track/callback/",
        {"version": concern.version, "satisfaction": "dissatisfied", "comment": "Still icy at six."},
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert concern.reopen_count == 1
    assert concern.due_date > NOW.date()
    assert Feedback.objects.get().satisfaction == Feedback.Satisfaction.DISSATISFIED
    page = anon.get(TRACK_URL).content.decode()
    assert "has been reopened" in page and "In progress" in page and "Reopened" in page


def test_a_repeated_callback_changes_nothing(anon, team_a, leader_branch):
    concern, code = raised(team_a)
    resolve(concern, leader_branch)
    track(anon, code)
    data = {"version": concern.version, "satisfaction": "satisfied"}
    anon.post("/s/track/callback/", data)
    second = anon.post("/s/track/callback/", data, follow=True)
    assert Feedback.objects.count() == 1
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert "nothing was saved" in second.content.decode()


def test_a_stale_callback_names_nobody(anon, team_a, leader_branch):
    """The service's conflict message names the cadre who changed the concern: the public never sees it."""
    concern, code = raised(team_a)
    resolve(concern, leader_branch)
    track(anon, code)
    stale = concern.version - 1
    response = anon.post("/s/track/callback/", {"version": stale, "satisfaction": "satisfied"}, follow=True)
    html = response.content.decode()
    assert "nothing was saved" in html
    assert "leader_branch" not in html and display_name(leader_branch) not in html
    assert Feedback.objects.count() == 0


def test_callback_refused_before_resolution(anon, team_a):
    concern, code = raised(team_a)
    track(anon, code)
    response = anon.post("/s/track/callback/", {"version": concern.version, "satisfaction": "satisfied"}, follow=True)
    assert "once the concern is resolved" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_callback_without_a_tracked_concern(anon, team_a):
    response = anon.post("/s/track/callback/", {"version": 1, "satisfaction": "satisfied"}, follow=True)
    assert "Enter your receipt code first." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_callback_with_a_bad_satisfaction_changes_nothing(anon, team_a, leader_branch):
    concern, code = raised(team_a)
    resolve(concern, leader_branch)
    track(anon, code)
    response = anon.post("/s/track/callback/", {"version": concern.version, "satisfaction": "delighted"})
    assert response.status_code == 200
    assert Feedback.objects.count() == 0
