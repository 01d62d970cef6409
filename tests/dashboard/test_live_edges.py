"""A period cutting months counts its edge days live, and agrees with the rollups day by day."""

import pytest

from fieldwork.periods import period_parse
from tests.dashboard.figure_helpers import figures

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]


def test_a_period_cutting_months_counts_the_edge_days_live(story, company):
    d = figures(company, period_parse(date_from="2026-01-15", date_to="2026-02-10"))
    assert (d.visits, d.people_reached) == (1, 3)  # sub_a 02-03
    assert (d.concerns_raised, d.withdrawn) == (2, 0)  # C3 02-01, C4 02-10
    assert (d.resolved, d.on_time.numerator) == (1, 1)  # C1 01-20; C7's 01-30 was cancelled
    assert (d.callbacks, d.reopened) == (2, 1)  # C1 01-25, C7 02-02 (dissatisfied); C7's 02-25 is out
    assert (d.coverage.numerator, d.coverage.denominator) == (1, 3)


def test_a_range_of_whole_months_equals_the_quarter(story, company, branch, sub_a):
    for unit in (company, branch, sub_a):
        ranged = figures(unit, period_parse(date_from="2026-01-01", date_to="2026-03-31"))
        quarter = figures(unit)
        assert ranged.children == quarter.children
        for name in ("visits", "people_reached", "coverage", "response", "resolution", "on_time", "median_days"):
            assert getattr(ranged, name) == getattr(quarter, name)


def test_live_edges_agree_with_the_rollups_day_by_day(story, company, branch):
    """Cutting Q1 into a range that starts a day late and one that ends it: the two add up."""
    whole = figures(branch)
    late = figures(branch, period_parse(date_from="2026-01-02", date_to="2026-03-31"))
    first = figures(branch, period_parse(date_from="2026-01-01", date_to="2026-01-01"))
    for name in ("visits", "people_reached", "concerns_raised", "resolved", "callbacks", "reopened"):
        assert getattr(late, name) + getattr(first, name) == getattr(whole, name)
