"""Concerns under supervision are counted within the user's scope, in the dashboard and the unit tree."""

import pytest
from django.urls import reverse

from tests.dashboard.page_helpers import url

pytestmark = pytest.mark.clock(2026, 8, 20)


def test_the_unit_tree_shows_each_subtree_under_supervision(client_for, leader_branch, branch, team_a, chased):
    tree = client_for(leader_branch).get(reverse("fieldwork:unit-list")).content.decode()
    assert f'href="/concerns/supervised/?unit={branch.pk}">2 supervised</a>' in tree
    assert f'href="/concerns/supervised/?unit={team_a.pk}">1 supervised</a>' in tree


def test_supervision_figures_are_scoped_like_everything_else(client_for, cadre_b_other_team, team_a, chased):
    client = client_for(cadre_b_other_team)  # a cadre of Team B
    assert client.get(url(team_a)).status_code == 404
    listed = client.get(f"/concerns/supervised/?unit={team_a.pk}")
    assert "Supervised in July" not in listed.content.decode()
