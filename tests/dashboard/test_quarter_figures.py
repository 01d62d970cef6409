"""The dashboard's figures over a quarter, from a story told through the services: the headline rates,
the trend, each child over its own subtree, an empty period, late callbacks, a response limit not yet
passed."""

import datetime

import pytest

from fieldwork.periods import Period
from tests.dashboard.figure_helpers import figures

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]


def by_name(lines):
    return {line.name: line for line in lines}


def test_company_quarter(story, company):
    d = figures(company)
    assert (d.visits, d.people_reached) == (4, 11)
    assert (d.coverage.numerator, d.coverage.denominator, d.coverage.percent) == (2, 3, "67%")
    assert [line.name for line in d.unvisited] == ["Team B"]
    assert (d.concerns_raised, d.withdrawn) == (5, 1)  # C1 C2 C3 C4 C6; C5 apart
    # taken up in time: C1, C4, C6; late: C2; never and past the limit: C3
    assert (d.response.numerator, d.response.denominator, d.response.percent) == (3, 5, "60%")
    # C4 is policy-limited: apart. Of C1 C2 C3 C6, C1 and C6 are closed now (C2 was reopened).
    assert (d.resolution.numerator, d.resolution.denominator) == (2, 4)
    assert (d.policy_limited, d.policy.numerator, d.policy.denominator) == (1, 1, 1)
    assert d.policy.percent == "too few to compare"
    # resolved in Q1 as it stands: C1 (on time), C4 (late), C6 (on time), C7 (again 02-20, on time);
    # C7's first resolution (01-30) and C2's (03-10) were cancelled by a reopening.
    assert (d.resolved, d.on_time.numerator, d.on_time.denominator) == (4, 3, 4)
    assert d.median_days == 12.5  # days 3, 10, 15, 62
    # callbacks in Q1: C1 satisfied, C7 dissatisfied, C7 satisfied, C6 basically satisfied
    assert (d.callbacks, d.satisfaction.numerator, d.satisfaction.percent, d.reopened) == (4, 3, "75%", 1)
    # today: C2 in progress (due 05-02), C3 open and overdue, C8 and C9 open (due later)
    assert (d.open_now, d.overdue_now) == (4, 1)
    principles = by_name(d.principles)
    assert (principles["Pragmatic dedication"].visits, principles["Pragmatic dedication"].concerns) == (2, 1)
    assert (principles["Integrity, accepting supervision"].visits, principles["Right positioning"].visits) == (1, 0)
    categories = by_name(d.categories)
    assert (categories["Safety"].concerns, categories["Pay and benefits"].concerns, categories["Other"].concerns) == (
        3,
        1,
        1,
    )


def test_trend_is_the_twelve_months_ending_with_the_period(story, company):
    trend = figures(company).trend
    assert (len(trend), trend[0].month, trend[-1].month) == (12, datetime.date(2025, 4, 1), datetime.date(2026, 3, 1))
    last = {row.month.month: (row.visits, row.raised, row.resolved) for row in trend[-4:]}
    assert last == {12: (1, 1, 0), 1: (1, 2, 1), 2: (1, 2, 2), 3: (2, 1, 1)}


def test_child_table_counts_each_child_over_its_own_subtree(story, company):
    rows = {row.unit.name: row for row in figures(company).children}
    assert list(rows) == ["Dispatch centre", "Substation workshop"]  # by name, not ranked
    branch = rows["Substation workshop"]
    assert (branch.coverage.numerator, branch.coverage.denominator) == (1, 2)
    assert branch.coverage.percent == "too few to compare"
    assert (branch.response.numerator, branch.response.denominator) == (2, 4)
    assert (branch.resolution.numerator, branch.resolution.denominator) == (1, 3)
    assert (branch.satisfaction.numerator, branch.satisfaction.denominator) == (2, 3)
    assert (branch.open, branch.overdue) == (4, 1)
    other = rows["Dispatch centre"]
    assert (other.coverage.numerator, other.coverage.denominator) == (1, 1)
    assert (other.response.percent, other.resolution.percent, other.satisfaction.percent) == ("too few to compare",) * 3
    assert (other.open, other.overdue) == (0, 0)


def test_a_unit_with_no_children_is_its_own_grassroots_unit(story, team_b):
    d = figures(team_b)
    assert d.children == []
    assert (d.coverage.numerator, d.coverage.denominator) == (0, 1)  # its visit was in December
    assert [line.name for line in d.unvisited] == ["Team B"]
    assert (d.concerns_raised, d.withdrawn, d.policy_limited) == (2, 1, 1)  # C1, C4; C5 withdrawn


def test_an_empty_period(story, company):
    d = figures(company, Period.quarter(2025, 1))
    assert (d.visits, d.people_reached, d.concerns_raised, d.withdrawn, d.resolved, d.callbacks) == (0,) * 6
    assert (d.coverage.numerator, d.coverage.denominator, d.coverage.percent) == (0, 3, "0%")
    assert d.median_days is None
    for rate in (d.response, d.resolution, d.on_time, d.satisfaction, d.policy):
        assert rate.percent == "too few to compare"
    assert (d.open_now, d.overdue_now) == (4, 1)  # not bound to the period


def test_a_callback_in_a_later_period_counts_in_that_period(story, company):
    d = figures(company, Period.quarter(2026, 2))
    # C2 (raised in January) was reopened on 04-02; its resolution of 03-10 no longer counts anywhere.
    assert (d.callbacks, d.reopened, d.satisfaction.numerator) == (1, 1, 0)
    assert d.resolved == 0


def test_response_limit_not_yet_passed_is_left_out(story, company):
    d = figures(company, Period.quarter(2026, 2))
    # C8 (04-14) is still within its limit today: neither taken up nor late. C9 (04-10) is past it.
    assert (d.concerns_raised, d.response.numerator, d.response.denominator) == (2, 0, 1)
    later = figures(company, Period.quarter(2026, 2), today=datetime.date(2026, 4, 17))
    assert (later.response.numerator, later.response.denominator) == (0, 2)
