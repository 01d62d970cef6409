"""The unit tree page: signed in, GET only, a leader sees their branch and the level below, a cadre their
own units; a subtree comes as an htmx fragment or a page; out of scope is 404; search stays in scope."""

import pytest
from django.urls import reverse

from tests.units.helpers import UNITS

pytestmark = pytest.mark.clock(2026, 8, 20)


def _names(response):
    return [node["unit"].name for node in response.context["nodes"]]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(UNITS)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_post_is_not_allowed(client_for, leader_branch):
    assert client_for(leader_branch).post(UNITS).status_code == 405


def test_a_leader_sees_their_branch_and_the_level_below(client_for, leader_branch, branch, team_a, sub_a, team_b):
    response = client_for(leader_branch).get(UNITS)
    assert response.status_code == 200
    assert _names(response) == ["Substation workshop"]
    children = response.context["nodes"][0]["children"]
    assert [node["unit"].name for node in children] == ["Team A", "Team B"]
    assert children[0]["has_children"] and children[0]["children"] is None  # Sub A comes on request
    html = response.content.decode()
    assert reverse("fieldwork:unit-dashboard", args=[branch.pk]) in html
    assert f'hx-get="{UNITS}?parent={team_a.pk}"' in html
    assert "Huozhou" not in html and "Dispatch" not in html


def test_a_cadre_sees_their_own_units(client_for, cadre_a, team_a, sub_a, team_b):
    response = client_for(cadre_a).get(UNITS)
    assert _names(response) == ["Team A"]
    assert [node["unit"].name for node in response.context["nodes"][0]["children"]] == ["Sub A"]


def test_the_subtree_fragment_for_htmx_and_the_page_without_javascript(client_for, leader_branch, team_a, sub_a):
    client = client_for(leader_branch)
    fragment = client.get(UNITS, {"parent": team_a.pk}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "Sub A" in fragment.content.decode()
    page = client.get(UNITS, {"parent": team_a.pk})
    assert "<html" in page.content.decode()
    assert _names(page) == ["Team A"]
    assert [node["unit"].name for node in page.context["nodes"][0]["children"]] == ["Sub A"]


def test_a_subtree_out_of_scope_is_404(client_for, leader_other_branch, team_a):
    client = client_for(leader_other_branch)
    assert client.get(UNITS, {"parent": team_a.pk}).status_code == 404
    assert client.get(UNITS, {"parent": team_a.pk}, HTTP_HX_REQUEST="true").status_code == 404


def test_search_finds_units_in_scope_only(client_for, leader_branch, team_a, sub_a, team_b, other_branch):
    client = client_for(leader_branch)
    assert _names(client.get(UNITS, {"q": "team b"})) == ["Team B"]
    assert _names(client.get(UNITS, {"q": "sub"})) == ["Substation workshop", "Sub A"]  # in tree order
    assert _names(client.get(UNITS, {"q": "dispatch"})) == []
    assert "No unit in your units matches" in client.get(UNITS, {"q": "dispatch"}).content.decode()
