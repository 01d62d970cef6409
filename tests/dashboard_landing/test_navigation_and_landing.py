"""The dashboard in the navigation for whoever leads a unit, and a leader's landing page (issue 20 item
3): the Dashboard entry, straight to the one unit a leader leads or a list of theirs; the choice to land
on a dashboard, stored per user, set from the dashboard or My work; the home address redirects there."""

import re

import pytest
from django.urls import reverse

from fieldwork.models import Membership, UserPreference
from tests.factories import MembershipFactory

pytestmark = pytest.mark.clock(2026, 12, 2)


def _nav(html: str) -> str:
    return html[html.index('id="nav"') : html.index("</nav>")]


def test_a_leader_finds_the_dashboard_in_the_navigation(client_for, leader_branch, branch):
    client = client_for(leader_branch)
    nav = _nav(client.get(reverse("fieldwork:my-work")).content.decode())
    assert f'href="{reverse("fieldwork:my-dashboards")}">Dashboard</a>' in nav
    response = client.get(reverse("fieldwork:my-dashboards"))
    assert response.status_code == 302
    assert response["Location"] == reverse("fieldwork:unit-dashboard", args=[branch.pk])


def test_a_cadre_has_no_dashboard_entry(client_for, cadre_a):
    client = client_for(cadre_a)
    assert "Dashboard</a>" not in _nav(client.get(reverse("fieldwork:my-work")).content.decode())
    assert client.get(reverse("fieldwork:my-dashboards")).status_code == 404


def test_a_leader_of_several_units_sees_their_own_first(client_for, leader_branch, branch, other_branch, team_a):
    MembershipFactory(user=leader_branch, unit=other_branch, role=Membership.Role.LEADER)
    MembershipFactory(user=leader_branch, unit=team_a, role=Membership.Role.CADRE)  # not led: not listed
    html = client_for(leader_branch).get(reverse("fieldwork:my-dashboards")).content.decode()
    listed = re.findall(r'href="/units/(\d+)/dashboard/">', html)
    assert listed == [str(other_branch.pk), str(branch.pk)]  # by depth then name: Dispatch, Substation


def test_a_leader_chooses_to_land_on_the_dashboard_and_back(client_for, leader_branch, branch):
    client = client_for(leader_branch)
    home = reverse("fieldwork:home")
    assert client.get(home).status_code == 200  # My work at first
    dashboard = reverse("fieldwork:unit-dashboard", args=[branch.pk])
    page = client.get(dashboard).content.decode()
    assert "Land on this dashboard when I sign in" in page

    chosen = client.post(reverse("fieldwork:dashboard-landing", args=[branch.pk]), {"landing": "1"})

    assert chosen["Location"] == dashboard
    assert UserPreference.objects.get(user=leader_branch).landing_unit == branch
    assert client.get(home)["Location"] == dashboard
    assert "You land on this dashboard when you sign in." in client.get(dashboard).content.decode()
    my_work = client.get(reverse("fieldwork:my-work")).content.decode()  # My work stays reachable
    assert "You land on the dashboard you chose." in my_work and f'href="{dashboard}"' in my_work

    client.post(reverse("fieldwork:dashboard-landing", args=[branch.pk]), {"landing": "0", "next": "my-work"})
    assert UserPreference.objects.get(user=leader_branch).landing_unit is None
    assert client.get(home).status_code == 200


def test_my_work_offers_the_choice_to_a_leader(client_for, leader_branch, branch, cadre_a):
    assert 'id="section-landing"' not in client_for(cadre_a).get(reverse("fieldwork:my-work")).content.decode()
    client = client_for(leader_branch)
    html = client.get(reverse("fieldwork:my-work")).content.decode()
    choose = f"{reverse('fieldwork:my-dashboards')}?choose=1"
    assert "You land on My work." in html and f'href="{choose}"' in html
    listed = client.get(choose).content.decode()  # one unit led: listed to choose, not redirected
    assert "Land here when I sign in" in listed
    response = client.post(
        reverse("fieldwork:dashboard-landing", args=[branch.pk]), {"landing": "1", "next": "my-work"}
    )
    assert response["Location"] == reverse("fieldwork:my-work")
    assert client.get(reverse("fieldwork:home"))["Location"] == reverse("fieldwork:unit-dashboard", args=[branch.pk])


def test_signing_in_lands_on_the_chosen_dashboard(client, leader_branch, branch):
    UserPreference.objects.create(user=leader_branch, landing_unit=branch)
    leader_branch.set_password("a long pass phrase 2026")
    leader_branch.save()
    response = client.post(
        reverse("login"), {"username": "leader_branch", "password": "a long pass phrase 2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("fieldwork:unit-dashboard", args=[branch.pk])


def test_only_a_leader_of_the_unit_may_choose_it(client_for, cadre_a, leader_branch, team_a, other_branch):
    assert (
        client_for(cadre_a).post(reverse("fieldwork:dashboard-landing", args=[team_a.pk]), {"landing": "1"}).status_code
        == 404
    )
    outside = client_for(leader_branch).post(
        reverse("fieldwork:dashboard-landing", args=[other_branch.pk]), {"landing": "1"}
    )
    assert outside.status_code == 404
    assert not UserPreference.objects.exists()


def test_a_landing_unit_no_longer_led_is_ignored(client_for, leader_branch, branch):
    UserPreference.objects.create(user=leader_branch, landing_unit=branch)
    Membership.objects.filter(user=leader_branch).update(role=Membership.Role.CADRE)
    assert client_for(leader_branch).get(reverse("fieldwork:home")).status_code == 200


def test_bad_input_to_the_landing_choice_is_no_500(client_for, leader_branch, branch):
    client = client_for(leader_branch)
    response = client.post(reverse("fieldwork:dashboard-landing", args=[branch.pk]), {"landing": "maybe"})
    assert response.status_code == 302
    assert not UserPreference.objects.exists()
    assert client.get(reverse("fieldwork:dashboard-landing", args=[branch.pk])).status_code == 405
