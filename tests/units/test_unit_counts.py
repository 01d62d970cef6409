"""The tree's open and overdue counts cover each subtree, in the same queries at any size."""

import pytest
from django.utils import timezone

from fieldwork.models import Concern
from fieldwork.services import concerns as concern_services
from tests.factories import UnitFactory, category
from tests.units.helpers import UNITS

pytestmark = pytest.mark.clock(2026, 8, 20)


def _concern(by, unit, *, due_today=False):
    concern = concern_services.concern_raise(
        by=by, unit=unit, data=concern_services.ConcernInput(title="T", category=category())
    )
    if due_today:
        concern.refresh_from_db()
        concern_services.concern_set_due(concern=concern, by=by, version=concern.version, due_date=timezone.localdate())
    return concern


# session, user, memberships, the visible-unit check, the top units, the level below, the counts, and the
# calendar (a leader's banner says when the coming days' holidays are only estimated).
QUERIES_UNIT_LIST = 7


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
