"""The monthly ledger page: the period's visits and concerns of a subtree and the concerns carried over;
scoped, GET only, a default period, a bad one explained, flat queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fieldwork.models import Feedback
from tests.factories import ConcernFactory, FeedbackFactory, FollowUpActionFactory, VisitFactory
from tests.ledger.helpers import CONTACT, ledger_url, moment


def add_rows(unit, author, count: int) -> None:
    for index in range(count):
        visit = VisitFactory(unit=unit, author=author, date=datetime.date(2026, 7, 1 + index))
        visit.cadres.add(author)
        concern = ConcernFactory(unit=unit, visit=visit, owner=author, raised_at=moment(1 + index))
        FollowUpActionFactory(concern=concern, owner=author)
        FeedbackFactory(concern=concern, satisfaction=Feedback.Satisfaction.BASICALLY)


def queries_for(client, url: str, xlsx: bool) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if xlsx:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_page_lists_the_period_subtree_and_carried_concerns(client_for, leader_branch, team_a, ledger_data):
    response = client_for(leader_branch).get(ledger_url(team_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Canteen" in html and "Sub A yard" in html and "王伟" in html
    assert "Team B hall" not in html and "June office" not in html
    assert "Flickering lights" in html and "Replace the ballast" in html and "Much better now" in html
    assert "Carried from May" in html
    assert "Closed in May" not in html and "Other team matter" not in html and "Raised in August" not in html
    assert "Zhao Min" in html
    assert "Secret matter" in html and "Hidden Person" not in html
    assert CONTACT not in html
    assert reverse("fieldwork:ledger-xlsx") in html
    assert "too few to compare" in html  # two concerns raised: the rates rest on too few cases


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["fieldwork:ledger", "fieldwork:ledger-xlsx"])
def test_scope(client, client_for, cadre_b_other_team, team_a, name):
    url = ledger_url(team_a, name)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(cadre_b_other_team).get(url).status_code == 404
    assert client.get(f"{reverse(name)}?unit=abc").status_code == 404


@pytest.mark.django_db
def test_post_is_refused(client_for, leader_branch, team_a):
    assert client_for(leader_branch).post(ledger_url(team_a)).status_code == 405


@pytest.mark.django_db
def test_without_parameters_the_previous_month_of_the_highest_own_unit(client_for, cadre_a, team_a, clock):
    clock.now = moment(15, month=8)
    response = client_for(cadre_a).get(reverse("fieldwork:ledger"))
    assert response.status_code == 200
    assert response.context["unit"] == team_a
    assert response.context["period"].label == "2026-07"


@pytest.mark.django_db
def test_a_bad_period_falls_back_with_a_warning(client_for, cadre_a, team_a):
    response = client_for(cadre_a).get(f"{reverse('fieldwork:ledger')}?unit={team_a.pk}&period=2026-13")
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_dashboard_links_to_the_ledger(client_for, leader_branch, team_a):
    response = client_for(leader_branch).get(reverse("fieldwork:unit-dashboard", args=[team_a.pk]) + "?period=2026-07")
    assert f"{reverse('fieldwork:ledger')}?unit={team_a.pk}&amp;period=2026-07" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("xlsx", [False, True])
def test_query_count_does_not_grow_with_rows(client_for, leader_branch, team_a, cadre_a, xlsx):
    client = client_for(leader_branch)
    url = ledger_url(team_a, "fieldwork:ledger-xlsx" if xlsx else "fieldwork:ledger")
    add_rows(team_a, cadre_a, 2)
    queries_for(client, url, xlsx)  # the first request also fills per-process caches (session, calendar)
    small = queries_for(client, url, xlsx)
    add_rows(team_a, cadre_a, 8)
    assert queries_for(client, url, xlsx) == small
    assert small <= 30
