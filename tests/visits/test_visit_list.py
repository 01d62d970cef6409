"""The visit list: filters, a unit filter out of scope refused, flat queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Visit
from tests.factories import ConcernFactory, VisitFactory, principle

# session, user, memberships, capped count, page rows, the page's concern counts, unit picker options, filter
# choices (principles; the cadre filter is the people picker: no query listing everyone in scope), and the
# calendar (a leader's banner says when the coming days' holidays are only estimated)
QUERIES_VISIT_LIST = 9


def test_list_filters(client_for, leader_branch, team_a, sub_a, team_b, cadre_a, cadre_b_other_team):
    today = timezone.localdate()
    in_sub = VisitFactory(unit=sub_a, author=cadre_a, form=Visit.Form.SYMPOSIUM, date=today)
    old = VisitFactory(unit=team_a, author=cadre_a, date=today - datetime.timedelta(days=40))
    other = VisitFactory(unit=team_b, author=cadre_b_other_team)
    other.cadres.add(cadre_b_other_team)
    in_sub.principles.add(principle("integrity"))
    client = client_for(leader_branch)

    def listed(**params):
        return set(client.get(reverse("fieldwork:visit-list"), params).context["rows"])

    assert listed(unit=team_a.pk) == {in_sub, old}
    assert listed(form="symposium") == {in_sub}
    assert listed(date_from=(today - datetime.timedelta(days=7)).isoformat()) == {in_sub, other}
    assert listed(date_to=(today - datetime.timedelta(days=30)).isoformat()) == {old}
    assert listed(principle=principle("integrity").pk) == {in_sub}
    assert listed(cadre=cadre_b_other_team.pk) == {other}
    # junk never gives a 500
    response = client.get(reverse("fieldwork:visit-list"), {"unit": "abc", "date_from": "2026-13-45", "page": "x"})
    assert response.status_code == 200


def test_list_unit_filter_refuses_a_unit_outside_scope(client_for, cadre_a, team_b, cadre_b_other_team):
    VisitFactory(unit=team_b, author=cadre_b_other_team)
    response = client_for(cadre_a).get(reverse("fieldwork:visit-list"), {"unit": team_b.pk})
    assert response.status_code == 200
    assert list(response.context["rows"]) == []


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow(client_for, leader_branch, team_a, cadre_a, rows, django_assert_num_queries):
    for _ in range(rows):
        visit = VisitFactory(unit=team_a, author=cadre_a)
        ConcernFactory(unit=team_a, visit=visit)
    client = client_for(leader_branch)
    client.get(reverse("fieldwork:visit-list"))  # warm the session
    with django_assert_num_queries(QUERIES_VISIT_LIST):
        response = client.get(reverse("fieldwork:visit-list"))
    assert len(response.context["rows"]) == min(rows, 25)
