"""My work: what is overdue, due soon and waiting, in that order, bounded, with links to the whole lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork import selectors
from fieldwork.models import Concern
from tests.factories import FollowUpActionFactory, UserFactory
from tests.my_work.helpers import TODAY, URL, keys, mine, on

pytestmark = pytest.mark.clock(2026, 6, 15)


def test_sections_and_their_order(client_for, team_a, cadre_a):
    very_late = mine(team_a, cadre_a, -10, status=Concern.Status.IN_PROGRESS)
    late = mine(team_a, cadre_a, -1)
    today = mine(team_a, cadre_a, 0)
    in_a_week = mine(team_a, cadre_a, 7)
    later = mine(team_a, cadre_a, 8)
    late_action = FollowUpActionFactory(concern=later, owner=cadre_a, due_date=on(-3))
    soon_action = FollowUpActionFactory(concern=later, owner=cadre_a, due_date=on(2))
    FollowUpActionFactory(concern=later, owner=cadre_a, due_date=on(-3), done_at=timezone.now())
    closed = mine(
        team_a,
        cadre_a,
        -5,
        status=Concern.Status.CLOSED,
        resolution="Repaired the canteen heater.",
        closed_at=timezone.now() - datetime.timedelta(days=3),
    )
    resolved = mine(
        team_a,
        cadre_a,
        -5,
        status=Concern.Status.RESOLVED,
        resolution="Asked the canteen to keep food warm.",
        resolved_at=timezone.now() - datetime.timedelta(days=1),
    )
    mine(  # closed too long ago
        team_a,
        cadre_a,
        -60,
        status=Concern.Status.CLOSED,
        resolution="Old.",
        closed_at=timezone.now() - datetime.timedelta(days=31),
    )
    mine(team_a, UserFactory(), -4)  # someone else's

    response = client_for(cadre_a).get(URL)

    assert response.status_code == 200
    context = response.context
    assert keys(context["overdue"]) == [
        ("concern", very_late.pk),
        ("action", late_action.pk),
        ("concern", late.pk),
    ]
    assert keys(context["due_soon"]) == [("concern", today.pk), ("action", soon_action.pk), ("concern", in_a_week.pk)]
    assert keys(context["later"]) == [("concern", later.pk)]
    assert [c.pk for c in context["recently_closed"]] == [resolved.pk, closed.pk]
    # due Friday 5 June, today Monday 15 June: six working days (8–12 and 15 June)
    assert context["overdue"].items[0].days_overdue == 6
    assert context["unassigned"] is None
    html = response.content.decode()
    assert "6 working days overdue" in html and "due today" in html
    assert f"?owner={cadre_a.pk}" not in html  # no "see them all" link: nothing was left out


def test_empty_page_says_what_to_do(client_for, cadre_a):
    response = client_for(cadre_a).get(URL)

    html = response.content.decode()
    assert "You own no open concern or action" in html
    assert "Nothing overdue" in html
    assert "You have not logged a visit yet" in html
    assert 'id="section-unassigned"' not in html


def test_sections_are_bounded(team_a, cadre_a):
    for _ in range(4):
        mine(team_a, cadre_a, -2)
    FollowUpActionFactory(concern=mine(team_a, cadre_a, 30), owner=cadre_a, due_date=on(-1))

    work = selectors.my_work(user=cadre_a, today=TODAY, limit=3)

    assert len(work["overdue"].items) == 3
    assert work["overdue"].more is True
    assert work["later"].more is False


def test_more_link_to_the_overdue_page(client_for, team_a, cadre_a, monkeypatch):
    monkeypatch.setattr(selectors, "MY_WORK_ROWS", 2)
    for _ in range(3):
        mine(team_a, cadre_a, -2)

    html = client_for(cadre_a).get(URL).content.decode()

    assert "Showing the first 2." in html
    assert f"{reverse('fieldwork:overdue-list')}?owner={cadre_a.pk}" in html


def test_more_links_to_the_whole_lists(client_for, team_a, cadre_a, leader_branch, monkeypatch):
    monkeypatch.setattr(selectors, "MY_WORK_ROWS", 2)
    soon = [mine(team_a, cadre_a, days) for days in (1, 2, 3)]
    mine(team_a, cadre_a, 2, status=Concern.Status.CLOSED, resolution="Done.")  # not active: not in the list
    someone_elses = mine(team_a, UserFactory(), 2)
    unassigned = [mine(team_a, None, days) for days in (4, 5, 6)]
    client = client_for(cadre_a)
    response = client.get(URL)
    mine_url = response.context["mine_more_url"]
    assert mine_url.replace("&", "&amp;") in response.content.decode()
    listed = client.get(mine_url).context["rows"]
    assert [concern.pk for concern in listed] == [concern.pk for concern in soon]  # due soonest first
    assert someone_elses.pk not in [concern.pk for concern in listed]

    client = client_for(leader_branch)
    response = client.get(URL)
    listed = client.get(response.context["unassigned_more_url"]).context["rows"]
    assert [concern.pk for concern in listed] == [concern.pk for concern in unassigned]
