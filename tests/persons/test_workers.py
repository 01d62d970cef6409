"""Workers known by name (models.Person): never deleted, found by the worker picker by characters and
pinyin initials, scoped to the user's units (outside them: a 404), their contact for the unit's leaders."""

import pytest
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from fieldwork import permissions, pickers
from fieldwork.models import Concern, Person
from fieldwork.similar import person_concerns, person_error
from tests.factories import ConcernFactory

URL = reverse("fieldwork:people-search")


def names(client, **params):
    response = client.get(URL, {"format": "json", "kind": "worker", **params})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def workers(team_a, team_b, other_branch):
    return {
        "王卫国": Person.objects.create(unit=team_a, name="王卫国", contact="13800000001"),
        "曾国藩": Person.objects.create(unit=team_a, name="曾国藩"),
        "王芳": Person.objects.create(unit=team_b, name="王芳"),
        "王强": Person.objects.create(unit=other_branch, name="王强"),
    }


def test_a_worker_is_found_by_characters_tails_and_pinyin_initials(client_for, cadre_a, leader_branch, workers):
    client = client_for(leader_branch)
    assert names(client, q="王卫国") == ["王卫国"]
    assert names(client, q="卫国") == ["王卫国"]
    assert names(client, q="wwg") == ["王卫国"]
    assert names(client, q="wangweiguo") == ["王卫国"]
    assert names(client, q="cgf") == ["曾国藩"]  # 曾 read zeng or ceng
    assert names(client, q="zgf") == ["曾国藩"]
    assert sorted(names(client, q="王")) == ["王卫国", "王芳"]  # 王强 works in another branch


def test_the_picker_is_scoped_to_the_users_units(client_for, cadre_a, workers, other_branch, team_a):
    client = client_for(cadre_a)  # a cadre of team A sees team A only
    assert names(client, q="王") == ["王卫国"]
    assert names(client, q="w", within=str(team_a.pk)) == ["王卫国"]
    response = client.get(URL, {"format": "json", "kind": "worker", "q": "王", "within": other_branch.pk})
    assert response.status_code == 404


def test_at_most_twenty_matches_and_the_rest_said(client_for, leader_branch, team_a):
    Person.objects.bulk_create([Person(unit=team_a, name=f"甄众{n:02d}", search_keys=" 甄 ") for n in range(25)])
    response = client_for(leader_branch).get(URL, {"format": "json", "kind": "worker", "q": "甄"})
    body = response.json()
    assert len(body["results"]) == pickers.LIMIT and body["more"] is True


def test_the_picker_without_javascript_answers_radio_buttons(client_for, leader_branch, workers):
    html = (
        client_for(leader_branch).get(URL, {"kind": "worker", "field": "person", "person__q": "wwg"}).content.decode()
    )
    assert "王卫国" in html and 'name="person"' in html and f'value="{workers["王卫国"].pk}"' in html


def test_chosen_keeps_only_workers_in_scope(cadre_a, workers):
    kind = pickers.kind_get("worker")
    ids = [workers["王卫国"].pk, workers["王强"].pk]
    assert [c.label for c in kind.chosen(user=cadre_a, ids=ids, params={})] == ["王卫国"]


def test_a_worker_is_never_deleted(workers):
    with pytest.raises(models.ProtectedError):
        workers["王卫国"].delete()
    assert Person.objects.filter(name="王卫国").exists()


def test_the_contact_is_for_the_units_leaders_only(cadre_a, leader_team_a, leader_branch, workers):
    worker = workers["王卫国"]
    assert permissions.person_contact_visible(person=worker, user=leader_team_a)
    assert permissions.person_contact_visible(person=worker, user=leader_branch)
    assert not permissions.person_contact_visible(person=worker, user=cadre_a)


def test_an_anonymous_concern_never_names_a_worker(team_a, workers):
    worker = workers["王卫国"]
    assert person_error(anonymous=True, person=worker, unit_id=team_a.pk)
    assert person_error(anonymous=False, person=worker, unit_id=team_a.pk) == ""
    with transaction.atomic(), pytest.raises(IntegrityError):
        ConcernFactory(unit=team_a, anonymous=True, person=worker)
    concern = ConcernFactory(unit=team_a, anonymous=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Concern.objects.filter(pk=concern.pk).update(person=worker)


def test_a_worker_of_another_unit_is_refused(team_b, workers):
    assert person_error(anonymous=False, person=workers["王卫国"], unit_id=team_b.pk)


def test_a_workers_open_and_recent_concerns(team_a, workers, django_assert_num_queries):
    worker = workers["王卫国"]
    open_one = ConcernFactory(unit=team_a, person=worker)
    done = ConcernFactory(unit=team_a, person=worker, status=Concern.Status.RESOLVED, resolution="Fixed.")
    ConcernFactory(unit=team_a)  # nobody's
    with django_assert_num_queries(2):
        active, recent = person_concerns(worker)
    assert active == [open_one] and recent == [done]


def test_keys_follow_a_renamed_worker(team_a):
    worker = Person.objects.create(unit=team_a, name="李芳")
    worker.name = "张芳"
    worker.save()
    assert " zf " in Person.objects.get(pk=worker.pk).search_keys
    assert " lf " not in Person.objects.get(pk=worker.pk).search_keys
