"""The concern form names the worker behind a concern (picked or new), checks for similar concerns
without JavaScript (a submit step that saves nothing) and with htmx, and links a repeat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork.models import Concern, Person
from fieldwork.similar import CANDIDATES, similar_concerns
from tests.concerns.list_helpers import NEW
from tests.concerns.test_raise_form import concern_post
from tests.factories import ConcernFactory, category


@pytest.fixture
def earlier(team_a):
    return ConcernFactory(
        unit=team_a, category=category(), title="夜班食堂没有热饭", description="十点以后只有方便面。"
    )


@pytest.fixture
def worker(team_a):
    return Person.objects.create(unit=team_a, name="刘建国")


def test_check_for_similar_saves_nothing_and_lists_the_earlier_concern(client_for, cadre_a, team_a, earlier):
    ConcernFactory(unit=team_a, category=category(), title="安全帽数量不足")  # not alike
    ConcernFactory(unit=team_a, category=category("pay_benefits"), title="夜班没有热饭")  # another category
    page = client_for(cadre_a).post(NEW, concern_post(team_a, _similar="1")).content.decode()
    assert Concern.objects.count() == 3
    assert f'id="repeat_of_{earlier.pk}"' in page and "安全帽" not in page
    assert page.count('name="repeat_of"') == 2  # "not a repeat" and the one alike


def test_the_new_concern_is_linked_as_a_repeat(client_for, cadre_a, team_a, earlier):
    client_for(cadre_a).post(NEW, concern_post(team_a, repeat_of=earlier.pk))
    new = Concern.objects.exclude(pk=earlier.pk).get()
    assert new.repeat_of == earlier and list(earlier.repeats.all()) == [new]


def test_a_repeat_out_of_scope_is_refused_with_a_message(client_for, cadre_a, team_a, other_branch):
    outside = ConcernFactory(unit=other_branch, category=category(), title="夜班没有热饭")
    response = client_for(cadre_a).post(NEW, concern_post(team_a, repeat_of=outside.pk))
    assert response.status_code == 200 and "Choose one of the concerns listed." in response.content.decode()
    assert Concern.objects.count() == 1


def test_a_worker_picked_or_created_on_the_spot(client_for, cadre_a, team_a, worker):
    client = client_for(cadre_a)
    client.post(NEW, concern_post(team_a, person=worker.pk))
    assert Concern.objects.get().person == worker
    client.post(NEW, concern_post(team_a, new_person_name="孙秀英", title="宿舍漏水"))
    made = Concern.objects.get(title="宿舍漏水")
    assert made.person.name == "孙秀英" and made.person.unit == team_a and made.person.created_by == cadre_a


def test_an_anonymous_concern_names_nobody(client_for, cadre_a, team_a, worker):
    client = client_for(cadre_a)
    for extra in ({"person": worker.pk}, {"new_person_name": "孙秀英"}):
        response = client.post(NEW, concern_post(team_a, anonymous="on", **extra))
        assert response.status_code == 200 and "An anonymous concern names nobody" in response.content.decode()
    assert not Concern.objects.exists() and Person.objects.count() == 1


def test_a_named_concern_is_never_linked_to_an_anonymous_one(client_for, cadre_a, team_a, worker):
    hidden = ConcernFactory(unit=team_a, category=category(), title="夜班食堂没有热饭", anonymous=True)
    client = client_for(cadre_a)
    page = client.post(NEW, concern_post(team_a, person=worker.pk, _similar="1")).content.decode()
    assert f'id="repeat_of_{hidden.pk}"' not in page  # not offered when a worker is named
    response = client.post(NEW, concern_post(team_a, person=worker.pk, repeat_of=hidden.pk))
    assert "An anonymous concern cannot be linked" in response.content.decode()
    assert Concern.objects.count() == 1


def test_the_workers_open_concerns_are_shown(client_for, cadre_a, team_a, worker):
    ConcernFactory(unit=team_a, person=worker, title="更衣室太小")
    page = client_for(cadre_a).post(NEW, concern_post(team_a, person=worker.pk, _similar="1")).content.decode()
    assert "更衣室太小" in page and "刘建国 has 1 open concern." in page


def test_a_worker_of_another_unit_is_refused_beside_the_field(client_for, leader_branch, team_a, team_b):
    elsewhere = Person.objects.create(unit=team_b, name="赵强")
    response = client_for(leader_branch).post(NEW, concern_post(team_a, person=elsewhere.pk))
    assert "Choose a worker of the concern&#x27;s unit." in response.content.decode()


def test_the_candidates_are_bounded_one_query(team_a, django_assert_num_queries):
    cat = category()
    Concern.objects.bulk_create(
        [
            Concern(reference=f"FW-T-{n}", unit=team_a, category=cat, title=f"宿舍漏水{n}", due_date="2026-12-31")
            for n in range(CANDIDATES + 30)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        found = similar_concerns(unit_id=team_a.pk, category_id=cat.pk, title="宿舍漏水")
    assert len(queries) == 1 and f"LIMIT {CANDIDATES}" in queries[0]["sql"]
    assert 0 < len(found) <= 5
