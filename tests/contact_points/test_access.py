"""Who may see a unit's contact points, assign them and end them: outside the scope is a 404, a cadre
may look but not assign (403), anonymous people sign in first, GET on a POST-only address is a 405."""

import pytest
from django.urls import reverse

from fieldwork.models import ContactPoint

from .helpers import assign, days_ago

pytestmark = pytest.mark.clock(2026, 12, 1)


def _list(unit):
    return reverse("fieldwork:unit-contact-points", args=[unit.pk])


def _end(point):
    return reverse("fieldwork:contact-point-end", args=[point.pk])


def test_anonymous_people_are_sent_to_sign_in(client, team_a):
    response = client.get(_list(team_a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_unit_outside_the_scope_is_not_found(client_for, leader_other_branch, team_a):
    assert client_for(leader_other_branch).get(_list(team_a)).status_code == 404
    assert client_for(leader_other_branch).post(_list(team_a), {}).status_code == 404


def test_a_cadre_sees_the_list_without_the_form_and_may_not_assign(client_for, cadre_a, team_a, cadre_a2):
    response = client_for(cadre_a).get(_list(team_a))
    assert response.status_code == 200
    assert b'id="assign"' not in response.content
    data = {"assign-cadre": cadre_a2.pk, "assign-start": "2026-12-01", "assign-interval_days": "30"}
    assert client_for(cadre_a).post(_list(team_a), data).status_code == 403
    assert not ContactPoint.objects.exists()


def test_ending_one_outside_the_scope_is_not_found(client_for, leader_branch, leader_other_branch, cadre_a, team_a):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(10))
    response = client_for(leader_other_branch).post(_end(point), {"end-reason": "Moved"})
    assert response.status_code == 404
    point.refresh_from_db()
    assert point.end is None


def test_a_cadre_may_not_end_one(client_for, leader_branch, cadre_a, team_a):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(10))
    assert client_for(cadre_a).post(_end(point), {"end-reason": "Moved"}).status_code == 403
    point.refresh_from_db()
    assert point.end is None


def test_ending_is_post_only(client_for, leader_branch, cadre_a, team_a):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(10))
    assert client_for(leader_branch).get(_end(point)).status_code == 405


def test_a_leader_may_not_assign_a_cadre_from_outside_their_units(
    client_for, leader_team_a, cadre_b_other_team, team_a
):
    data = {"assign-cadre": cadre_b_other_team.pk, "assign-start": "2026-12-01", "assign-interval_days": "30"}
    response = client_for(leader_team_a).post(_list(team_a), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ContactPoint.objects.exists()
