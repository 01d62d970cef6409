"""The contact-point list, its figure and 我的工作's section read stored dates: the same number of queries
whatever the number of contact points and visits (two sizes each)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fieldwork import contact_points
from fieldwork.models import Membership
from tests.factories import MembershipFactory, UnitFactory, UserFactory

from .helpers import TODAY, assign, days_ago, visit

pytestmark = pytest.mark.clock(2026, 12, 1)

# session, user, memberships, the unit; the capped count and the page of rows (with their unit,
# cadre and who assigned them, joined); the form's picker adds nothing until something is typed
QUERIES_LIST = 6


def _grow(leader, parent, n, start_index):
    """n more units under `parent`, each with a cadre answering for it and some visits there."""
    for index in range(start_index, start_index + n):
        unit = UnitFactory(parent=parent, code=f"grow-{index}")
        cadre = UserFactory(username=f"grow_{index}")
        MembershipFactory(user=cadre, unit=unit, role=Membership.Role.CADRE)
        assign(leader, cadre, unit, start=days_ago(120), interval_days=10 + index)
        if index % 2:
            visit(cadre, unit, on=days_ago(index % 50))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?overdue=1"])
def test_the_list_runs_the_same_queries_at_two_sizes(client_for, leader_branch, branch, query):
    client = client_for(leader_branch)
    url = reverse("fieldwork:unit-contact-points", args=[branch.pk]) + query
    client.get(url)  # the session settles on the first request
    _grow(leader_branch, branch, 3, 0)
    small = _count(client, url)
    _grow(leader_branch, branch, 30, 3)
    large = _count(client, url)
    assert small == large == QUERIES_LIST + 1  # + the leader's assign form: the cadre field's chosen people (none)


def test_the_figure_is_one_query_at_two_sizes(leader_branch, branch, django_assert_num_queries):
    _grow(leader_branch, branch, 3, 0)
    with django_assert_num_queries(1):
        small = contact_points.unvisited_count(unit=branch, today=TODAY)
    _grow(leader_branch, branch, 30, 3)
    with django_assert_num_queries(1):
        large = contact_points.unvisited_count(unit=branch, today=TODAY)
    assert 0 < small < large


def test_my_work_reads_its_contact_points_in_one_query(leader_branch, team_a, cadre_a, django_assert_num_queries):
    units = [UnitFactory(parent=team_a, code=f"mine-{index}") for index in range(25)]
    assign(leader_branch, cadre_a, units[0], start=days_ago(60))
    with django_assert_num_queries(1):
        small = contact_points.my_work_rows(user=cadre_a, today=TODAY)
    for unit in units[1:]:
        assign(leader_branch, cadre_a, unit, start=days_ago(60))
        visit(cadre_a, unit, on=days_ago(3))
    with django_assert_num_queries(1):
        large = contact_points.my_work_rows(user=cadre_a, today=TODAY)
    assert (len(small), len(large)) == (1, 25)
