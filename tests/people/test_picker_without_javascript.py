"""Without JavaScript: the Find button sends the form, the page comes back with what was typed and the
matches as choices (nothing saved, no errors), and the next send saves the person chosen."""

import pytest
from django.urls import reverse

from fieldwork.models import Concern, FollowUpAction, Visit
from tests.concerns.helpers import fresh
from tests.factories import category
from tests.people.conftest import person
from tests.visits.helpers import visit_post


@pytest.fixture
def wang_weiguo(team_a):
    return person(team_a, "王", "卫国")


@pytest.fixture
def outsider(other_branch):
    return person(other_branch, "曾", "国藩")


def test_log_a_visit_choosing_a_fellow_cadre_by_initials(client_for, cadre_a, team_a, wang_weiguo):
    client = client_for(cadre_a)
    url = reverse("fieldwork:visit-create")
    typed = visit_post(team_a, location="变电站值班室", concerns=[{"title": "夜班食堂没有热饭"}])
    response = client.post(url, {**typed, "cadres__q": "wwg", "_picker": "cadres"})
    html = response.content.decode()
    assert response.status_code == 200 and not Visit.objects.exists()
    assert f'type="checkbox" name="cadres" value="{wang_weiguo.pk}"' in html
    assert "变电站值班室" in html and "夜班食堂没有热饭" in html  # what was typed stays
    assert "This field is required" not in html and "is-invalid" not in html
    response = client.post(url, {**typed, "cadres": [wang_weiguo.pk]})
    assert response.status_code == 302
    assert set(Visit.objects.get().cadres.all()) >= {wang_weiguo}


def test_a_visit_refuses_a_cadre_outside_the_scope_beside_the_field(client_for, cadre_a, team_a, outsider):
    response = client_for(cadre_a).post(reverse("fieldwork:visit-create"), visit_post(team_a, cadres=[outsider.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and not Visit.objects.exists()
    assert 'id="error_1_id_cadres"' in html and "Select a valid choice" in html


def test_a_leader_gives_a_new_concern_to_someone_found_by_name(client_for, leader_branch, team_a, wang_weiguo):
    client = client_for(leader_branch)
    url = reverse("fieldwork:concern-create")
    typed = {"unit": team_a.pk, "category": category().pk, "title": "配电室漏雨", "priority": "normal"}
    html = client.post(url, {**typed, "owner__q": "卫国", "_picker": "owner"}).content.decode()
    assert not Concern.objects.exists() and "配电室漏雨" in html
    assert f'type="radio" name="owner" value="{wang_weiguo.pk}"' in html
    assert client.post(url, {**typed, "owner": wang_weiguo.pk}).status_code == 302
    assert Concern.objects.get().owner == wang_weiguo


def test_change_the_owner_on_the_concern_page(client_for, leader_branch, concern, wang_weiguo, outsider):
    client = client_for(leader_branch)
    url = reverse("fieldwork:concern-reassign", args=[concern.pk])
    html = client.post(url, {"reassign-version": 1, "reassign-owner__q": "wang", "_picker": "reassign-owner"})
    html = html.content.decode()
    assert (
        f'name="reassign-owner" value="{wang_weiguo.pk}"' in html
        and '<details class="card card-body mb-2" open data-step="reassign">' in html
    )
    assert fresh(concern).version == 1
    refused = client.post(url, {"reassign-version": 1, "reassign-owner": outsider.pk}).content.decode()
    assert "Select a valid choice" in refused and fresh(concern).owner != outsider
    client.post(url, {"reassign-version": 1, "reassign-owner": wang_weiguo.pk})
    assert fresh(concern).owner == wang_weiguo


def test_add_an_action_for_someone_found_by_name(client_for, cadre_a, concern, wang_weiguo):
    client = client_for(cadre_a)
    url = reverse("fieldwork:concern-action-create", args=[concern.pk])
    typed = {"action-description": "换灯管", "action-due_date": concern.due_date.isoformat()}
    html = client.post(url, {**typed, "action-owner__q": "wwg", "_picker": "action-owner"}).content.decode()
    assert "换灯管" in html and f'name="action-owner" value="{wang_weiguo.pk}"' in html
    assert not FollowUpAction.objects.exists()
    client.post(url, {**typed, "action-owner": wang_weiguo.pk})
    assert FollowUpAction.objects.get().owner == wang_weiguo


def test_a_list_filter_finds_the_owner_then_filters_by_them(client_for, leader_branch, concern, cadre_a):
    client = client_for(leader_branch)
    html = client.get(reverse("fieldwork:concern-list"), {"owner__q": "ww"}).content.decode()
    assert f'type="radio" name="owner" value="{cadre_a.pk}"' in html  # 王伟
    html = client.get(reverse("fieldwork:concern-list"), {"owner": cadre_a.pk}).content.decode()
    assert f'name="owner" value="{cadre_a.pk}" id="id_owner-c{cadre_a.pk}" checked' in html
    assert concern.reference in html
