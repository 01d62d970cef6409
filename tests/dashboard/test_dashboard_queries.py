"""The dashboard runs the same number of queries at two data sizes."""

import datetime

import pytest

from tests.dashboard.page_helpers import raised_concern, recorded_visit, url
from tests.factories import UnitFactory, principle

pytestmark = pytest.mark.clock(2026, 8, 20)


# session, user, memberships, the unit, the dashboard stamp, then dashboard_figures: the units
# with their visited months, the unit's months, the children's sums, open now, principles,
# categories; and the working-day calendar (the response limit is counted in working days); the
# contact points unvisited (联系点, contact_points.unvisited_count).
QUERIES_DASHBOARD = 13


def _grow(leader_company, units, n):
    for index in range(n):
        unit = units[index % len(units)]
        day = datetime.date(2026, 1 + index % 7, 1 + index % 27)
        recorded_visit(leader_company, unit, day, people=1 + index, principles=[principle("integrity")])
        raised_concern(leader_company, unit, f"Concern {index}", cat="other" if index % 2 else "safety")


def test_query_count_is_the_same_at_two_sizes(
    client_for, leader_branch, leader_company, company, branch, team_a, sub_a, team_b, django_assert_num_queries
):
    units = [team_a, sub_a, team_b, branch]
    client = client_for(leader_branch)
    client.get(url(branch, period="2026"))  # the session and the language settle on the first request
    _grow(leader_company, units, 3)
    with django_assert_num_queries(QUERIES_DASHBOARD):
        small = client.get(url(branch, period="2026"))
    extra = [UnitFactory(parent=team_b, code=f"grow-{i}") for i in range(5)]
    _grow(leader_company, units + extra, 40)
    with django_assert_num_queries(QUERIES_DASHBOARD):
        large = client.get(url(branch, period="2026"))
    assert large.context["d"].visits > small.context["d"].visits
    assert QUERIES_DASHBOARD <= 15


def test_query_count_of_a_period_cutting_months_does_not_grow_either(
    client_for, leader_branch, leader_company, branch, team_a, sub_a, team_b, django_assert_num_queries
):
    client = client_for(leader_branch)
    client.get(url(branch))
    _grow(leader_company, [team_a, sub_a], 2)
    query = {"from": "2026-01-15", "to": "2026-06-10"}
    # the branch has grandchildren: the edge days from its day rows, its children's day rows, and
    # the units visited on those days (rollups.days.edge_figures)
    with django_assert_num_queries(QUERIES_DASHBOARD + 3) as captured:
        client.get(url(branch, **query))
    _grow(leader_company, [team_a, sub_a, team_b], 30)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url(branch, **query))
