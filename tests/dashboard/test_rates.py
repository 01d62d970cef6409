"""A rate over too few cases is not compared; the median of a histogram."""

import pytest

from fieldwork.dashboard import Rate, median_of

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]


def test_too_few_to_compare():
    assert Rate(2, 2).percent == "too few to compare"
    assert Rate(0, 0).value is None
    assert Rate(3, 4).value == 0.75


def test_median_of_a_histogram():
    assert median_of({}) is None
    assert median_of({"5": 1}) == 5
    assert median_of({"3": 1, "10": 1, "15": 1, "62": 1}) == 12.5
    assert median_of({"1": 3, "9": 1}) == 1
    assert median_of({"2": 2, "4": 2}) == 3
