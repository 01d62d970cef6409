"""The unit tree as materialised paths: subtrees in one query, a move carries the subtree, never under
itself; leaves are the grassroots units; the public channel's path is not a unit code."""

import pytest

from fieldwork.models import Unit


def test_unit_paths_form_a_tree(company, branch, team_a, sub_a):
    assert company.path == f"/{company.pk}/"
    assert sub_a.path == f"/{company.pk}/{branch.pk}/{team_a.pk}/{sub_a.pk}/"
    assert (company.depth, branch.depth, team_a.depth, sub_a.depth) == (0, 1, 2, 3)
    assert list(branch.subtree()) == [branch, team_a, sub_a]
    assert list(sub_a.ancestors()) == [company, branch, team_a]


def test_subtree_is_one_query(branch, team_a, sub_a, team_b, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert {u.code for u in Unit.objects.subtree_of(branch)} == {"branch", "team-a", "sub-a", "team-b"}


def test_moving_a_unit_carries_its_subtree(company, branch, team_a, sub_a, other_branch):
    team_a.parent = other_branch
    team_a.save()
    sub_a.refresh_from_db()
    assert sub_a.path == f"/{company.pk}/{other_branch.pk}/{team_a.pk}/{sub_a.pk}/"
    assert sub_a.depth == 3
    assert team_a not in Unit.objects.subtree_of(branch)


def test_unit_cannot_move_under_itself(branch, sub_a):
    from django.core.exceptions import ValidationError

    branch.parent = sub_a
    with pytest.raises(ValidationError):
        branch.full_clean()


def test_leaves_are_the_grassroots_units(company, branch, team_a, sub_a, team_b, other_branch):
    assert set(Unit.objects.subtree_of(branch).leaves()) == {sub_a, team_b}
    sub_a.active = False
    sub_a.save()
    assert set(Unit.objects.subtree_of(branch).leaves()) == {team_a, team_b}


def test_the_public_channels_own_path_is_not_a_unit_code(branch):
    from django.core.exceptions import ValidationError

    unit = Unit(name="Track team", code="track", parent=branch)
    with pytest.raises(ValidationError, match="reserved"):
        unit.full_clean()
