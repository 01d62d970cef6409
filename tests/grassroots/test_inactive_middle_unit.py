"""The grassroots rule (scope.grassroots_ids, UnitQuerySet.leaves): a grassroots unit is an active unit
with NO active unit anywhere below it. An inactive unit in the middle of the tree, whose children are
active, once made its active parent a grassroots unit too (the leaf test looked at direct children
only), so coverage counted one grassroots unit twice."""

import datetime

import pytest

from fieldwork import dashboard, rollups
from fieldwork.models import Unit, Visit
from fieldwork.periods import Period
from fieldwork.scope import grassroots_ids
from tests.factories import UnitFactory, VisitFactory

pytestmark = pytest.mark.clock(2026, 4, 15, 12)
Q1 = Period.quarter(2026, 1)


@pytest.fixture
def middle(company, branch, team_a, sub_a, team_b, other_branch):
    """Dispatch centre → Old section (inactive) → Line team 1, Line team 2 (both active)."""
    old = UnitFactory(name="Old section", code="old-section", parent=other_branch, active=False)
    line_1 = UnitFactory(name="Line team 1", code="line-1", parent=old)
    line_2 = UnitFactory(name="Line team 2", code="line-2", parent=old)
    return old, line_1, line_2


def test_an_active_parent_of_an_inactive_unit_with_active_units_below_is_not_grassroots(
    middle, company, sub_a, team_b, other_branch
):
    _old, line_1, line_2 = middle
    expected = {sub_a.pk, team_b.pk, line_1.pk, line_2.pk}
    assert set(Unit.objects.subtree_of(company).leaves().values_list("pk", flat=True)) == expected
    assert grassroots_ids(Unit.objects.values_list("pk", "path", "active")) == expected
    assert other_branch.pk not in expected


def test_coverage_counts_each_grassroots_unit_once(middle, company, other_branch, sub_a):
    _old, line_1, _line_2 = middle
    VisitFactory(unit=line_1, date=datetime.date(2026, 2, 3))
    VisitFactory(unit=sub_a, date=datetime.date(2026, 3, 3))
    rollups.rebuild()

    d = dashboard.dashboard_figures(unit=company, period=Q1, today=datetime.date(2026, 4, 15))

    # Sub A, Team B, Line team 1, Line team 2: four, not five with Dispatch centre counted as well
    assert (d.coverage.numerator, d.coverage.denominator) == (2, 4)
    assert {line.name for line in d.unvisited} == {"Team B", "Line team 2"}
    rows = {row.unit.name: row for row in d.children}
    dispatch = rows["Dispatch centre"]
    assert (dispatch.coverage.numerator, dispatch.coverage.denominator) == (1, 2)
    own = dashboard.dashboard_figures(unit=other_branch, period=Q1, today=datetime.date(2026, 4, 15))
    assert (own.coverage.numerator, own.coverage.denominator) == (1, 2)
    assert [line.name for line in own.unvisited] == ["Line team 2"]


def test_a_unit_with_only_inactive_units_below_is_its_own_grassroots_unit(company, other_branch):
    UnitFactory(name="Closed team", code="closed", parent=other_branch, active=False)
    VisitFactory(unit=other_branch, date=datetime.date(2026, 1, 9))
    rollups.rebuild()
    d = dashboard.dashboard_figures(unit=other_branch, period=Q1, today=datetime.date(2026, 4, 15))
    assert (d.coverage.numerator, d.coverage.denominator) == (1, 1)
    assert Visit.objects.count() == 1
