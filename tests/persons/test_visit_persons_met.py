"""The visit form names the workers met (the worker picker): their pairing pages count the visit."""

from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Pairing, Person, PersonVisit, Visit
from fieldwork.pairings import my_pairings
from fieldwork.services import pairings as services
from tests.visits.helpers import visit_post

NEW = reverse("fieldwork:visit-create")


def test_the_workers_met_are_saved_and_count_as_contact(client_for, cadre_a, leader_team_a, team_a):
    worker = Person.objects.create(unit=team_a, name="刘建国")
    services.pairing_start(
        by=leader_team_a, person=worker, cadre=cadre_a, reason=Pairing.Reason.HARDSHIP, starts_on=timezone.localdate()
    )
    client = client_for(cadre_a)
    page = client.get(NEW).content.decode()
    assert 'name="persons_met__q"' in page and "kind=worker" in page
    response = client.post(NEW, visit_post(team_a, persons_met=[worker.pk]))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert list(PersonVisit.objects.filter(visit=visit).values_list("person__name", flat=True)) == ["刘建国"]
    assert my_pairings(user=cadre_a, today=timezone.localdate())[0].days_since == 0
    body = client.get(reverse("fieldwork:pairing-detail", args=[Pairing.objects.get().pk])).content.decode()
    assert "They asked about the canteen hours." in body  # a heart-to-heart talk: its summary


def test_a_worker_of_another_unit_is_refused_beside_the_field(client_for, leader_branch, team_a, team_b):
    elsewhere = Person.objects.create(unit=team_b, name="赵强")
    response = client_for(leader_branch).post(NEW, visit_post(team_a, persons_met=[elsewhere.pk]))
    assert response.status_code == 200 and "Choose workers of the visit&#x27;s unit." in response.content.decode()
    assert not Visit.objects.exists()


def test_a_worker_out_of_scope_is_not_a_valid_choice(client_for, cadre_a, team_a, other_branch):
    outside = Person.objects.create(unit=other_branch, name="王强")
    response = client_for(cadre_a).post(NEW, visit_post(team_a, persons_met=[outside.pk]))
    assert response.status_code == 200 and not Visit.objects.exists()
