"""Who sees which dashboard: signed in, GET only, a leader their branch, a cadre their own units; another
branch or an unknown unit is 404."""

import pytest
from django.urls import reverse

from tests.dashboard.page_helpers import body, url

pytestmark = pytest.mark.clock(2026, 8, 20)


def test_anonymous_is_sent_to_sign_in(client, branch):
    response = client.get(url(branch))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_post_is_not_allowed(client_for, leader_branch, branch):
    assert client_for(leader_branch).post(url(branch)).status_code == 405


def test_a_leader_sees_their_branch(client_for, leader_branch, branch):
    response = client_for(leader_branch).get(url(branch))
    assert response.status_code == 200
    assert response.context["d"].unit == branch


def test_a_leader_of_another_branch_gets_404(client_for, leader_other_branch, branch, team_a):
    client = client_for(leader_other_branch)
    assert client.get(url(branch)).status_code == 404
    assert client.get(url(team_a)).status_code == 404


def test_a_cadre_sees_the_dashboards_of_their_own_units_only(client_for, cadre_a, team_a, sub_a, branch, team_b):
    client = client_for(cadre_a)
    assert client.get(url(team_a)).status_code == 200
    assert client.get(url(sub_a)).status_code == 200
    assert client.get(url(branch)).status_code == 404
    assert client.get(url(team_b)).status_code == 404


def test_an_unknown_unit_is_404(client_for, leader_branch):
    assert client_for(leader_branch).get("/units/999999/dashboard/").status_code == 404


def test_a_repeated_request_shows_the_same(client_for, leader_branch, branch):
    client = client_for(leader_branch)
    first = client.get(url(branch, period="2026-07"))
    second = client.get(url(branch, period="2026-07"))
    assert body(first) == body(second)
