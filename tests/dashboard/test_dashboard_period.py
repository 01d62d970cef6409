"""The dashboard's period: the current quarter by default, each form of period, a bad one explained."""

import datetime

import pytest

from tests.dashboard.page_helpers import url

pytestmark = pytest.mark.clock(2026, 8, 20)


def test_default_is_the_current_quarter_with_previous_and_no_step_into_the_future(client_for, leader_branch, branch):
    response = client_for(leader_branch).get(url(branch))
    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    html = response.content.decode()
    assert 'href="?period=2026-Q2" rel="prev"' in html
    assert 'rel="next"' not in html  # Q4 has not begun on 20 August
    assert "Previous quarter" in html and "Next quarter" not in html


def test_a_past_period_steps_to_the_next_one_by_its_kind(client_for, leader_branch, branch):
    html = client_for(leader_branch).get(url(branch, period="2026-06")).content.decode()
    assert 'href="?period=2026-05" rel="prev"' in html and 'href="?period=2026-07" rel="next"' in html
    assert "Previous month" in html and "Next month" in html
    html = client_for(leader_branch).get(url(branch, period="2026-07")).content.decode()
    assert 'href="?period=2026-08" rel="next"' in html  # August has begun
    html = client_for(leader_branch).get(url(branch, period="2026-08")).content.decode()
    assert 'rel="next"' not in html


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"period": "2026-07"}, "2026-07"),
        ({"period": "2026-Q1"}, "2026 Q1"),
        ({"period": "2025"}, "2025"),
        ({"from": "2026-03-15", "to": "2026-05-10"}, "2026-03-15 – 2026-05-10"),
    ],
)
def test_each_form_of_period(client_for, leader_branch, branch, query, label):
    response = client_for(leader_branch).get(url(branch, **query))
    assert response.status_code == 200
    assert response.context["period"].label == label


@pytest.mark.parametrize(
    "query", [{"period": "2026-13"}, {"period": "nonsense"}, {"from": "2026-05-10", "to": "2026-03-15"}, {"from": "x"}]
)
def test_a_bad_period_shows_a_message_beside_the_field_and_the_current_quarter(
    client_for, leader_branch, branch, query
):
    response = client_for(leader_branch).get(url(branch, **query))
    assert response.status_code == 200
    assert response.context["period"].label == "2026 Q3"
    html = response.content.decode()
    assert 'id="period-error"' in html and "Showing the current quarter instead." in html
    assert html.count('aria-describedby="period-error"') >= 1
