"""The unit's contact-point page: assigning with the people picker (without JavaScript), messages beside
the fields, a repeated submit that changes nothing, the list behind the dashboard figure, most
overdue first, and the figure on the dashboard."""

import pytest
from django.urls import reverse

from fieldwork.models import ContactPoint

from .helpers import TODAY, assign, days_ago, visit

pytestmark = pytest.mark.clock(2026, 12, 1)


def _list(unit, query=""):
    return reverse("fieldwork:unit-contact-points", args=[unit.pk]) + query


def _data(cadre, **extra):
    return {"assign-cadre": cadre.pk, "assign-start": "2026-11-01", "assign-interval_days": "14", **extra}


def test_a_leader_assigns_a_cadre_from_the_units_page(client_for, leader_branch, cadre_a, team_a):
    response = client_for(leader_branch).post(_list(team_a), _data(cadre_a))
    assert response.status_code == 302
    point = ContactPoint.objects.get()
    assert (point.cadre, point.unit, point.assigned_by, point.interval_days) == (cadre_a, team_a, leader_branch, 14)
    assert point.start.isoformat() == "2026-11-01"
    assert point.history.get().history_user == leader_branch


def test_the_interval_defaults_to_the_setting(client_for, leader_branch, team_a, settings):
    settings.FIELDWORK_CONTACT_INTERVAL_DAYS = 21
    page = client_for(leader_branch).get(_list(team_a)).content.decode()
    assert 'name="assign-interval_days" value="21"' in page


def test_a_repeated_submit_makes_nothing_more(client_for, leader_branch, cadre_a, team_a):
    client = client_for(leader_branch)
    client.post(_list(team_a), _data(cadre_a))
    response = client.post(_list(team_a), _data(cadre_a))
    assert response.status_code == 400
    assert "already answers for this unit" in response.content.decode()
    assert ContactPoint.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("assign-interval_days", "0", "greater than or equal to 1"),
        ("assign-interval_days", "abc", "Enter a whole number"),
        ("assign-start", "2026-13-45", "Enter a valid date"),
        ("assign-end", "2026-10-01", "A term cannot end before it starts"),
        ("assign-cadre", "x'); DROP", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field(client_for, leader_branch, cadre_a, team_a, field, value, message):
    response = client_for(leader_branch).post(_list(team_a), _data(cadre_a, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContactPoint.objects.exists()


def test_the_pickers_find_button_shows_matches_and_saves_nothing(client_for, leader_branch, cadre_a, team_a):
    data = {"assign-cadre__q": "王", "_picker": "assign-cadre", "assign-start": "", "assign-interval_days": "30"}
    response = client_for(leader_branch).post(_list(team_a), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "王伟" in page
    assert "This field is required" not in page
    assert not ContactPoint.objects.exists()


def test_the_list_puts_the_longest_unvisited_first_and_filters_the_overdue(
    client_for, leader_branch, cadre_a, cadre_a2, team_a, sub_a, team_b, cadre_b_other_team
):
    late = assign(leader_branch, cadre_a, sub_a, start=days_ago(90))  # never visited: 90 days
    fresh = assign(leader_branch, cadre_a2, team_a, start=days_ago(90))
    visit(cadre_a2, team_a, on=days_ago(2))
    later = assign(leader_branch, cadre_b_other_team, team_b, start=days_ago(60))  # elsewhere in the branch
    client = client_for(leader_branch)
    page = client.get(_list(team_a)).content.decode()
    assert page.index(f'data-contact-point="{late.pk}"') < page.index(f'data-contact-point="{fresh.pk}"')
    assert f'data-contact-point="{later.pk}"' not in page  # team B lies outside team A's subtree
    overdue = client.get(_list(team_a, "?overdue=1")).content.decode()
    assert f'data-contact-point="{late.pk}"' in overdue
    assert f'data-contact-point="{fresh.pk}"' not in overdue
    assert "90 days" in overdue
    branch_page = client.get(_list(team_a.parent, "?overdue=1")).content.decode()
    assert branch_page.index(f'data-contact-point="{late.pk}"') < branch_page.index(f'data-contact-point="{later.pk}"')


def test_the_dashboard_shows_the_figure_linking_to_the_list(client_for, leader_branch, cadre_a, team_a, branch):
    assign(leader_branch, cadre_a, team_a, start=days_ago(45))
    client = client_for(leader_branch)
    page = client.get(reverse("fieldwork:unit-dashboard", args=[branch.pk])).content.decode()
    assert 'id="fig-contact-points"' in page
    assert f'href="{_list(branch, "?overdue=1")}">1</a>' in page
    visit(cadre_a, team_a, on=TODAY)  # the figure follows at once: the cached page is renewed
    page = client.get(reverse("fieldwork:unit-dashboard", args=[branch.pk])).content.decode()
    assert f'href="{_list(branch, "?overdue=1")}">0</a>' in page


def test_assigning_renews_a_cached_dashboard(client_for, leader_branch, cadre_a, team_a, branch):
    client = client_for(leader_branch)
    url = reverse("fieldwork:unit-dashboard", args=[branch.pk])
    assert f'href="{_list(branch, "?overdue=1")}">0</a>' in client.get(url).content.decode()
    assign(leader_branch, cadre_a, team_a, start=days_ago(45))
    assert f'href="{_list(branch, "?overdue=1")}">1</a>' in client.get(url).content.decode()
