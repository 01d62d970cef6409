"""The demo organisation: the essay's power-supply branch, grown to the size asked for."""

import re

from django.contrib.auth import get_user_model

from fieldwork.models import (
    Concern,
    Feedback,
    FollowUpAction,
    Membership,
    Unit,
    Visit,
)

from .conftest import TODAY_ARG, run_seed

User = get_user_model()


def test_default_demo_is_the_essays_kind_of_organisation(default_demo):
    units = {u.code: u for u in Unit.objects.all()}
    assert 28 <= len(units) <= 36
    assert {u.kind for u in units.values()} == set(Unit.Kind.values)
    assert units["gd"].name.endswith("供电分公司") and units["gd"].parent == units["jt"]
    assert {units[code].name for code in ("gd-dq", "gd-gh", "gd-aq")} == {"党群工作部", "工会", "安全监察部"}
    assert units["bdyx"].name == "变电运行工区" and units["ddkz"].name == "调度控制中心"
    assert all(re.fullmatch(r"[a-z0-9-]+", code) for code in units)
    assert all(re.search(r"[\u4e00-\u9fff]", u.name) for u in units.values())
    for workshop in Unit.objects.filter(kind__in=[Unit.Kind.WORKSHOP, Unit.Kind.STATION]):
        assert 2 <= workshop.children.count() <= 3


def test_scaled_run_sizes(small_scaled):
    assert Unit.objects.count() == 60
    assert Unit.objects.filter(code="bdyx-1", name="110kV东山变电站").exists()  # the demo org is inside
    assert Visit.objects.count() == 200
    concerns = Concern.objects.count()
    assert 150 <= concerns <= 260
    assert 1.6 * concerns <= FollowUpAction.objects.count() <= 2.6 * concerns
    done = Concern.objects.filter(status__in=[Concern.Status.RESOLVED, Concern.Status.CLOSED]).count()
    assert Feedback.objects.count() >= 0.8 * Concern.objects.filter(status=Concern.Status.CLOSED).count()
    assert done > 0.5 * concerns
    leaves = Unit.objects.leaves()
    visited = set(Visit.objects.values_list("unit", flat=True))
    assert len(visited & set(leaves.values_list("pk", flat=True))) > 0.6 * leaves.count()


def test_scaled_tree_opens_more_branches(db):
    run_seed("--visits", "20", "--units", "400", "--today", TODAY_ARG)
    assert Unit.objects.count() == 400
    branches = Unit.objects.filter(kind=Unit.Kind.BRANCH)
    assert branches.count() >= 3
    assert all(b.parent.kind == Unit.Kind.COMPANY for b in branches)
    assert Unit.objects.values("code").distinct().count() == 400
    for branch in branches:
        assert Membership.objects.filter(unit=branch, role=Membership.Role.LEADER).exists()


def test_paths_and_depths_match_the_parents(small_scaled):
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        chain, node = [], unit
        while node.parent_id is not None:
            node = units[node.parent_id]
            chain.append(node)
        assert unit.depth == len(chain)
        expected = "/" + "".join(f"{a.pk}/" for a in reversed(chain)) + f"{unit.pk}/"
        assert unit.path == expected
    branch = Unit.objects.get(code="gd")
    assert branch.subtree().filter(code="bdyx-1").exists()
