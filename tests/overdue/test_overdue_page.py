"""The overdue page: both sections with counts, an empty state, signed in and GET only, flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import FollowUpActionFactory, UnitFactory, UserFactory
from tests.overdue.helpers import CSV_URL, URL, XLSX_URL, ago, concern

pytestmark = pytest.mark.clock(2026, 6, 15)


def _org(branch, size: int) -> None:
    """`size` overdue concerns and actions spread over several units and owners of the branch."""
    for index in range(size):
        unit = UnitFactory(parent=branch)
        owner = UserFactory()
        item = concern(unit, days_ago=index + 1, owner=owner if index % 3 else None)
        FollowUpActionFactory(concern=item, owner=owner, due_date=ago(index + 2))


def test_page_lists_both_sections_with_counts(client_for, team_a, leader_branch, cadre_a):
    c1 = concern(team_a, days_ago=3, owner=cadre_a, title="食堂夜班饭菜凉")
    c2 = concern(team_a, days_ago=8)
    FollowUpActionFactory(concern=c1, owner=cadre_a, due_date=ago(1), description="联系后勤")

    response = client_for(leader_branch).get(URL)

    assert response.status_code == 200
    assert [c.pk for c in response.context["concerns"]] == [c2.pk, c1.pk]
    html = response.content.decode()
    assert "2 overdue concerns, 1 overdue action" in html
    assert "食堂夜班饭菜凉" in html and "联系后勤" in html
    assert c1.reference in html and c1.get_absolute_url() in html
    # due Sunday 7 June, today Monday 15 June: six working days (8–12 and 15 June)
    assert response.context["concerns"][0].days_overdue_count == 6


def test_page_empty_state_says_what_to_do(client_for, cadre_a):
    response = client_for(cadre_a).get(URL)

    assert "0 overdue concerns, 0 overdue actions" in response.content.decode()
    assert "No concern is overdue in your units" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    for url in (URL, CSV_URL, XLSX_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(client_for, cadre_a):
    client = client_for(cadre_a)
    for url in (URL, CSV_URL, XLSX_URL):
        assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", [URL, CSV_URL, XLSX_URL])
def test_query_count_does_not_grow(client_for, branch, leader_branch, url):
    client = client_for(leader_branch)

    def count(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    client.get(URL)  # the first request after signing in also saves the session
    _org(branch, 3)
    small = count({"unit": branch.pk})
    _org(branch, 40)
    large = count({"unit": branch.pk})

    assert small == large
    assert large <= 12  # 11, + the working-day calendar, read once a request
