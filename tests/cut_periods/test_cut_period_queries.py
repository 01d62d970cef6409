"""A period that cuts into months runs the same queries at two data sizes, at the root and a branch."""

import datetime

import pytest

from tests.dashboard.page_helpers import raised_concern, recorded_visit, url
from tests.factories import UnitFactory, principle

pytestmark = pytest.mark.clock(2026, 8, 20)

# session, user, memberships, the unit, the dashboard stamp; the units with their visited months, the unit's months, the
# children's sums, open now, principles, categories, the calendar (tests/dashboard); then the day
# rows: the unit's, its children's sums, the units visited on the edge days (rollups.days); the
# contact points unvisited (联系点)
QUERIES_CUT_PERIOD = 16


def _grow(leader, units, n):
    for index in range(n):
        unit = units[index % len(units)]
        day = datetime.date(2026, 1 + index % 7, 1 + index % 27)
        recorded_visit(leader, unit, day, people=1 + index, principles=[principle("integrity")])
        raised_concern(leader, unit, f"Concern {index}", cat="other" if index % 2 else "safety")


@pytest.mark.parametrize("who", ["company", "branch"])
def test_the_query_count_of_a_cut_period_does_not_grow(
    who, client_for, leader_company, company, branch, team_a, sub_a, team_b, django_assert_num_queries
):
    unit = company if who == "company" else branch
    client = client_for(leader_company)
    client.get(url(unit))
    query = {"from": "2026-01-15", "to": "2026-06-10"}
    _grow(leader_company, [team_a, sub_a], 2)
    with django_assert_num_queries(QUERIES_CUT_PERIOD):
        small = client.get(url(unit, **query))
    extra = [UnitFactory(parent=team_b, code=f"grow-{i}") for i in range(4)]
    _grow(leader_company, [team_a, sub_a, team_b, *extra], 30)
    with django_assert_num_queries(QUERIES_CUT_PERIOD):
        large = client.get(url(unit, **query))
    assert large.context["d"].visits > small.context["d"].visits
