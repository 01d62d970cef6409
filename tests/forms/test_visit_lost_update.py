"""Two people editing one visit: the second save from a stale form is refused, with what changed
meanwhile, and the form keeps what the person typed (issue 15, item 4)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fieldwork.models import Visit
from tests.factories import VisitFactory
from tests.visits.helpers import visit_post

from .conftest import form_token


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opened(client, visit) -> dict:
    """What the edit page carries besides the fields: the version seen and the submission key."""
    html = client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version, "the edit form carries no version"
    return {"version": version.group(1), "form_token": form_token(html)}


@pytest.fixture
def visit(team_a, cadre_a):
    return VisitFactory(unit=team_a, author=cadre_a, people_reached=2, location="Yard")


def test_the_second_save_from_a_stale_form_is_refused_and_keeps_the_typing(visit, team_a, cadre_a, leader_branch):
    author, leader = signed_in(cadre_a), signed_in(leader_branch)
    url = reverse("fieldwork:visit-edit", args=[visit.pk])
    seen_by_author = opened(author, visit)
    seen_by_leader = opened(leader, visit)

    first = leader.post(url, visit_post(team_a, people_reached="7", location="Yard", **seen_by_leader))
    assert first.status_code == 302

    second = author.post(url, visit_post(team_a, people_reached="2", location="Canteen", **seen_by_author))
    assert second.status_code == 200
    html = second.content.decode()
    assert "changed this visit after you opened it" in html
    assert "李芳" in html  # who changed it
    assert "People reached" in second.context["form"].non_field_errors()[0]  # what they changed
    assert 'value="Canteen"' in html  # what the author typed is still in the form
    visit.refresh_from_db()
    assert (visit.people_reached, visit.location) == (7, "Yard")  # the first save stands
    assert visit.version == 2
    assert visit.history.filter(history_type="~").count() == 1


def test_after_the_conflict_a_deliberate_save_goes_through(visit, team_a, cadre_a, leader_branch):
    author, leader = signed_in(cadre_a), signed_in(leader_branch)
    url = reverse("fieldwork:visit-edit", args=[visit.pk])
    seen_by_author = opened(author, visit)
    leader.post(url, visit_post(team_a, people_reached="7", **opened(leader, visit)))
    refused = author.post(url, visit_post(team_a, people_reached="7", location="Canteen", **seen_by_author))
    again = re.search(r'name="version" value="(\d+)"', refused.content.decode()).group(1)
    assert again == "2"  # the form now stands on the version the author has been shown
    saved = author.post(
        url,
        visit_post(
            team_a, people_reached="7", location="Canteen", version=again, form_token=seen_by_author["form_token"]
        ),
    )
    assert saved.status_code == 302
    visit.refresh_from_db()
    assert (visit.people_reached, visit.location, visit.version) == (7, "Canteen", 3)


def test_an_edit_without_a_version_is_refused_beside_the_form(visit, team_a, cadre_a):
    response = signed_in(cadre_a).post(
        reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a, location="Canteen")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    visit.refresh_from_db()
    assert visit.location == "Yard" and visit.version == 1


def test_a_new_visit_starts_at_version_one(team_a, cadre_a):
    client = signed_in(cadre_a)
    html = client.get(reverse("fieldwork:visit-create")).content.decode()
    assert (
        client.post(reverse("fieldwork:visit-create"), visit_post(team_a, form_token=form_token(html))).status_code
        == 302
    )
    assert Visit.objects.get().version == 1
