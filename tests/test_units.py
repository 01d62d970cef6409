"""The unit tree: what each user sees, the open and overdue counts, lazy subtrees, the query bound."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.factories import UnitFactory, category

pytestmark = pytest.mark.clock(2026, 8, 20)

UNITS = reverse("fieldwork:unit-list")


def _concern(by, unit, *, due_today=False):
    concern = concern_services.concern_raise(
        by=by, unit=unit, data=concern_services.ConcernInput(title="T", category=category())
    )
    if due_today:
        concern.refresh_from_db()
        concern_services.concern_set_due(concern=concern, by=by, version=concern.version, due_date=timezone.localdate())
    return concern


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


def test_open_and_overdue_counts_cover_each_subtree(
    client_for, leader_branch, leader_company, branch, team_a, sub_a, team_b, clock
):
    _concern(leader_company, sub_a)
    _concern(leader_company, team_b)
    _concern(leader_company, sub_a, due_today=True)
    clock.move(days=2)  # now past its due date
    withdrawn = _concern(leader_company, team_a)
    withdrawn.refresh_from_db()
    concern_services.concern_withdraw(concern=withdrawn, by=leader_company, version=withdrawn.version, reason="Twice")
    response = client_for(leader_branch).get(UNITS)
    top = response.context["nodes"][0]
    assert (top["open"], top["overdue"]) == (3, 1)
    children = {node["unit"].name: node for node in top["children"]}
    assert (children["Team A"]["open"], children["Team A"]["overdue"]) == (2, 1)  # with Sub A's
    assert (children["Team B"]["open"], children["Team B"]["overdue"]) == (1, 0)
    assert Concern.objects.filter(status=Concern.Status.WITHDRAWN).count() == 1


def test_query_count_does_not_grow_with_units_or_concerns(
    client_for, leader_branch, leader_company, branch, team_a, team_b, django_assert_num_queries
):
    client = client_for(leader_branch)
    client.get(UNITS)
    with django_assert_num_queries(QUERIES_UNIT_LIST) as small:
        client.get(UNITS)
    for index in range(12):
        unit = UnitFactory(parent=[team_a, team_b, branch][index % 3], code=f"more-{index}")
        UnitFactory(parent=unit, code=f"deeper-{index}")
        _concern(leader_company, unit)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(UNITS)
    assert len(response.context["nodes"][0]["children"]) == 6  # two teams and four new units


# session, user, memberships, the visible-unit check, the top units, the level below, the counts, and the
# calendar (a leader's banner says when the coming days' holidays are only estimated).
QUERIES_UNIT_LIST = 7
