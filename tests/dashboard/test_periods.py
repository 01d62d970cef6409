"""Reading a period: a quarter, a month, a range of two dates; a bad one gives a reason and the current
quarter; previous and next."""

import datetime

import pytest

from fieldwork.periods import Period, PeriodError, period_from_query, period_parse

pytestmark = [pytest.mark.clock(2026, 4, 15, 12), pytest.mark.usefixtures("_min_cases")]


@pytest.mark.parametrize(
    ("value", "first", "last", "kind"),
    [
        ("2026-07", datetime.date(2026, 7, 1), datetime.date(2026, 7, 31), "month"),
        ("2026-02", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), "month"),
        ("2026-Q3", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), "quarter"),
        ("2026-q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "quarter"),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year"),
    ],
)
def test_period_forms(value, first, last, kind):
    period = period_parse(period=value)
    assert (period.first, period.last, period.kind) == (first, last, kind)


def test_period_from_two_dates():
    period = period_parse(date_from="2026-03-15", date_to="2026-05-10")
    assert (period.first, period.last, period.kind) == (datetime.date(2026, 3, 15), datetime.date(2026, 5, 10), "range")
    assert period.full_months == [datetime.date(2026, 4, 1)]
    assert period.edges == [
        (datetime.date(2026, 3, 15), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 11)),
    ]
    assert period.shifted(1).first == datetime.date(2026, 5, 11)


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2026-13"},
        {"period": "2026-Q5"},
        {"period": "26"},
        {"period": "1066"},
        {"period": "<script>"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "2026-03-01"},
        {"from": "2026-03-10", "to": "2026-03-01"},
        {"from": "1900-01-01", "to": "2026-03-01"},
    ],
)
def test_a_bad_period_gives_a_reason_and_the_current_quarter(query):
    period, error = period_from_query(query, today=datetime.date(2026, 8, 20))
    assert error
    assert (period.first, period.last) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def test_no_period_is_the_current_quarter():
    period, error = period_from_query({}, today=datetime.date(2026, 11, 30))
    assert error is None
    assert (period.label, period.first, period.last) == (
        "2026 Q4",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )


def test_previous_and_next():
    assert Period.quarter(2026, 1).previous == Period.quarter(2025, 4)
    assert Period.quarter(2026, 4).next == Period.quarter(2027, 1)
    assert Period.month(2026, 12).next == Period.month(2027, 1)
    assert Period.year(2026).previous == Period.year(2025)
    assert Period.year(1970).previous is None
    assert Period.year(2999).next is None


def test_period_error_is_a_value_error():
    with pytest.raises(PeriodError):
        period_parse(period="soon")
