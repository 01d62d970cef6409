"""The concern's page: what it shows, overdue days, its links, and a query count that does not grow."""

import datetime

import pytest
from django.utils import timezone

from fieldwork.models import Concern
from fieldwork.services import actions as action_services
from tests.factories import ConcernFactory, VisitFactory


def test_detail_shows_the_concern(client_for, cadre_a, concern):
    response = client_for(cadre_a).get(concern.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for text in (concern.reference, "Switch room lights flicker", "Every night since May.", "Team A", "Open"):
        assert text in page
    assert "Not yet assessed" in page
    assert '<div id="concern-body"' in page
    assert [t.name for t in response.templates][:2] == [
        "fieldwork/concerns/detail.html",
        "base.html",
    ]
    assert "fieldwork/concerns/_detail_body.html" in [t.name for t in response.templates]


@pytest.mark.clock(2026, 6, 15)
def test_overdue_is_marked_with_the_days(client_for, cadre_a, team_a):
    # Monday 15 June 2026, 10:00 in Shanghai; due Wednesday 10th: Thursday, Friday and Monday are late.
    due = datetime.date(2026, 6, 10)
    concern = ConcernFactory(unit=team_a, owner=cadre_a, due_date=due)
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    assert "3 working days overdue" in page and "data-overdue" in page


def test_not_overdue_when_resolved(client_for, cadre_a, team_a):
    concern = ConcernFactory(
        unit=team_a,
        owner=cadre_a,
        status=Concern.Status.RESOLVED,
        resolution="Done.",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    assert "data-overdue" not in page and "days overdue" not in page
    assert "Done." in page


def test_visit_link_and_public_badge(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    from_visit = ConcernFactory(unit=team_a, visit=visit, source=Concern.Source.VISIT)
    public = ConcernFactory(unit=team_a, source=Concern.Source.PUBLIC)
    client = client_for(cadre_a)
    page = client.get(from_visit.get_absolute_url()).content.decode()
    assert visit.get_absolute_url() in page and "data-public-badge" not in page
    assert "data-public-badge" in client.get(public.get_absolute_url()).content.decode()


def test_detail_query_count_does_not_grow(client_for, concern, cadre_a, django_assert_max_num_queries):
    client = client_for(cadre_a)
    client.get(concern.get_absolute_url())
    for n in range(10):
        action_services.action_add(
            concern=concern, by=cadre_a, description=f"Step {n}", owner=cadre_a, due_date=timezone.localdate()
        )
    with django_assert_max_num_queries(21):  # 21st: the concern's photos, its actions' included, in one query
        assert client.get(concern.get_absolute_url()).status_code == 200
