"""Periods as people write them (issue 20 item 2): every form of the issue, read by periods.period_parse
and redirected by the dashboard to its one canonical ?period=; the picker's selects; half-years; bad
input explained beside the field, never a 500."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldwork.periods import Period, PeriodError, is_canonical, period_from_query, period_of_part, period_parse
from tests.dashboard.page_helpers import url

# Every form the issue names, with what it means.
FORMS = [
    ("2026年11月", "2026-11"),
    ("2026年11", "2026-11"),
    ("2026.11", "2026-11"),
    ("2026/11", "2026-11"),
    ("2026-11", "2026-11"),
    ("2026年第三季度", "2026-Q3"),
    ("2026年三季度", "2026-Q3"),
    ("2026Q3", "2026-Q3"),
    ("2026-Q3", "2026-Q3"),
    ("2026年上半年", "2026-H1"),
    ("2026H1", "2026-H1"),
    ("2026年下半年", "2026-H2"),
    ("2026H2", "2026-H2"),
    ("2026年", "2026"),
    ("2026", "2026"),
    # full-width digits and letters, as a Chinese keyboard types them
    ("２０２６年１１月", "2026-11"),
    ("２０２６Ｑ３", "2026-Q3"),
    ("２０２６Ｈ２", "2026-H2"),
    ("２０２６", "2026"),
    # spaces, a single-digit month, lower case, 第N季度 with a digit
    (" 2026 年 3 月 ", "2026-03"),
    ("2026q1", "2026-Q1"),
    ("2026年第1季度", "2026-Q1"),
    ("2026-h1", "2026-H1"),
]


@pytest.mark.parametrize(("typed", "canonical"), FORMS)
def test_every_form_people_write_reads_as_its_canonical_period(typed, canonical):
    period = period_parse(period=typed)
    assert period.param == {"period": canonical}
    assert period_parse(period=canonical) == period  # the canonical form reads back as itself


def test_half_years_are_a_kind_of_their_own():
    first, second = Period.half(2026, 1), Period.half(2026, 2)
    assert (first.first, first.last, first.kind) == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), "half")
    assert (second.first, second.last) == (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))
    assert first.previous == Period.half(2025, 2) and first.next == second and second.next == Period.half(2027, 1)
    assert len(first.full_months) == 6 and first.edges == []


@pytest.mark.parametrize(
    ("year", "part", "canonical"),
    [("2026", "year", "2026"), ("2026", "h2", "2026-H2"), ("2025", "q4", "2025-Q4"), ("2026", "m11", "2026-11")],
)
def test_the_pickers_selects_name_a_period(year, part, canonical):
    assert period_of_part(year, part).param == {"period": canonical}


@pytest.mark.parametrize(
    "typed",
    ["2026年13月", "2026Q5", "2026年第五季度", "2026H3", "26年", "1066", "２⁰２６", "٢٠٢٦", "<script>", "2026年中"],
)
def test_what_is_not_a_period_is_refused_with_a_reason(typed):
    with pytest.raises(PeriodError):
        period_parse(period=typed)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=24))
def test_any_text_is_a_period_or_a_reason(text):
    """Whatever is typed, the reading gives a period or a PeriodError, nothing else."""
    period, error = period_from_query({"period": text}, today=datetime.date(2026, 12, 2))
    assert isinstance(period, Period)
    assert error is None or isinstance(error, str)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1970, 2999),
    st.sampled_from(["month", "quarter", "half", "year"]),
    st.integers(1, 12),
    st.booleans(),
)
def test_written_forms_of_any_period_read_back(year, kind, number, chinese):
    if kind == "month":
        written, expected = (f"{year}年{number}月" if chinese else f"{year}.{number}"), Period.month(year, number)
    elif kind == "quarter":
        quarter = (number - 1) % 4 + 1
        written = f"{year}年第{'一二三四'[quarter - 1]}季度" if chinese else f"{year}Q{quarter}"
        expected = Period.quarter(year, quarter)
    elif kind == "half":
        half = number % 2 + 1
        written = f"{year}年{'上下'[half - 1]}半年" if chinese else f"{year}H{half}"
        expected = Period.half(year, half)
    else:
        written, expected = (f"{year}年" if chinese else f"{year}"), Period.year(year)
    assert period_parse(period=written) == expected
    assert is_canonical(expected.param, expected)


@pytest.mark.clock(2026, 12, 2)
@pytest.mark.parametrize(("typed", "canonical"), FORMS)
def test_the_dashboard_redirects_a_typed_period_to_its_canonical_address(
    client_for, leader_branch, branch, typed, canonical
):
    response = client_for(leader_branch).get(url(branch), {"period": typed})
    if typed == canonical:
        assert response.status_code == 200
        assert response.context["period"].param == {"period": canonical}
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{url(branch)}?period={canonical}"


@pytest.mark.clock(2026, 12, 2)
def test_the_selects_redirect_to_the_canonical_address_and_a_range_wins(client_for, leader_branch, branch):
    client = client_for(leader_branch)
    one_form = {"year": "2026", "part": "q3", "period": "", "from": "", "to": ""}
    assert client.get(url(branch), one_form)["Location"] == f"{url(branch)}?period=2026-Q3"
    typed = {**one_form, "period": "2026年11月"}
    assert client.get(url(branch), typed)["Location"] == f"{url(branch)}?period=2026-11"
    ranged = {**typed, "from": "2026-03-15", "to": "2026-05-10"}
    assert client.get(url(branch), ranged)["Location"] == f"{url(branch)}?from=2026-03-15&to=2026-05-10"


@pytest.mark.clock(2026, 12, 2)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "2026年13月"}, "period-field"),
        ({"period": "x" * 500}, "period-field"),
        ({"year": "２⁰２６", "part": "q3"}, "period-part"),
        ({"year": "2026", "part": "q9"}, "period-part"),
        ({"from": "2026-05-10", "to": "2026-03-15"}, "period-from"),
    ],
)
def test_bad_input_is_explained_beside_its_field(client_for, leader_branch, branch, query, field):
    response = client_for(leader_branch).get(url(branch), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="period-error"' in html
    tag = html[html.index(f'id="{field}"') - 200 : html.index(f'id="{field}"') + 600]
    assert "is-invalid" in tag and 'aria-describedby="period-error"' in tag
    assert response.context["period"] == Period.quarter(2026, 4)
