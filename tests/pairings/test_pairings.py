"""Pairings (结对): a leader pairs a cadre with a worker; the cadre sees their paired workers with the
days since the last contact; help given is recorded on the pairing's page; scoped (404), never deleted."""

import datetime

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork.errors import DomainError
from fieldwork.models import HelpGiven, Pairing, Person, PersonVisit
from fieldwork.pairings import my_pairings
from fieldwork.services import pairings as services
from tests.factories import ConcernFactory, VisitFactory


@pytest.fixture
def worker(team_a):
    return Person.objects.create(unit=team_a, name="刘建国", contact="13900002222")


@pytest.fixture
def pairing(worker, cadre_a, leader_team_a):
    return services.pairing_start(
        by=leader_team_a,
        person=worker,
        cadre=cadre_a,
        reason=Pairing.Reason.ILLNESS,
        reason_text="妻子住院",
        starts_on=timezone.localdate(),
        review_on=timezone.localdate() + datetime.timedelta(days=90),
    )


def page(pairing):
    return reverse("fieldwork:pairing-detail", args=[pairing.pk])


def test_only_a_leader_pairs_and_only_a_member_is_paired(worker, cadre_a, cadre_b_other_team, leader_team_a):
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.pairing_start(by=cadre_a, person=worker, cadre=cadre_a, reason="illness", starts_on=today)
    with pytest.raises(DomainError):
        services.pairing_start(
            by=leader_team_a, person=worker, cadre=cadre_b_other_team, reason="illness", starts_on=today
        )


def test_ended_with_a_reason_never_deleted(pairing, leader_team_a):
    with pytest.raises(DomainError):
        services.pairing_end(by=leader_team_a, pairing=pairing, reason=" ")
    services.pairing_end(by=leader_team_a, pairing=pairing, reason="病愈返岗")
    pairing.refresh_from_db()
    assert pairing.ended_at and pairing.end_reason == "病愈返岗"
    with pytest.raises(models.ProtectedError):
        pairing.delete()
    assert Pairing.objects.filter(pk=pairing.pk).exists()


def test_the_pairing_page_is_for_the_paired_cadre_and_the_leaders(
    client_for, pairing, cadre_a, cadre_a2, leader_team_a, leader_branch, leader_other_branch
):
    for user in (cadre_a, leader_team_a, leader_branch):
        body = client_for(user).get(page(pairing)).content.decode()
        assert "刘建国" in body and "妻子住院" in body and "13900002222" in body
    for user in (cadre_a2, leader_other_branch):  # a colleague of the same team, another branch
        assert client_for(user).get(page(pairing)).status_code == 404


def test_help_given_is_recorded_with_an_optional_value(client_for, pairing, cadre_a):
    client = client_for(cadre_a)
    today = timezone.localdate()
    response = client.post(page(pairing), {"what": "送去慰问金", "given_on": today.isoformat(), "value": "500.00"})
    assert response.status_code == 302
    client.post(page(pairing), {"what": "陪同就医", "given_on": today.isoformat(), "value": ""})
    assert sorted(str(h.value) for h in HelpGiven.objects.all()) == ["500.00", "None"]
    bad = client.post(
        page(pairing), {"what": "x", "given_on": (today + datetime.timedelta(days=3)).isoformat(), "value": "abc"}
    )
    body = bad.content.decode()
    assert bad.status_code == 200 and "Help given cannot be in the future." in body and "Enter a number." in body
    assert HelpGiven.objects.count() == 2


def test_days_since_the_last_contact(pairing, worker, cadre_a, team_a):
    today = timezone.localdate()
    assert my_pairings(user=cadre_a, today=today)[0].days_since is None
    visit = VisitFactory(unit=team_a, date=today - datetime.timedelta(days=12))
    PersonVisit.objects.create(person=worker, visit=visit)
    assert my_pairings(user=cadre_a, today=today)[0].days_since == 12
    ConcernFactory(unit=team_a, person=worker, raised_at=timezone.now() - datetime.timedelta(days=5))
    assert my_pairings(user=cadre_a, today=today)[0].days_since == 5
    services.help_add(by=cadre_a, pairing=pairing, what="慰问", given_on=today - datetime.timedelta(days=1))
    assert my_pairings(user=cadre_a, today=today)[0].days_since == 1


@pytest.mark.parametrize("size", [2, 20])
def test_the_list_reads_in_one_query_at_any_size(client_for, size, team_a, cadre_a, leader_team_a):
    today = timezone.localdate()
    people = [Person.objects.create(unit=team_a, name=f"职工{n}") for n in range(size)]
    for person in people:
        services.pairing_start(by=leader_team_a, person=person, cadre=cadre_a, reason="hardship", starts_on=today)
    with CaptureQueriesContext(connection) as queries:
        rows = my_pairings(user=cadre_a, today=today)
    assert len(rows) == size and len(queries) == 1
    body = client_for(cadre_a).get(reverse("fieldwork:pairing-list")).content.decode()
    assert body.count("No contact yet") == size


def test_a_leader_pairs_with_the_form_and_ends_it(client_for, worker, cadre_a, leader_team_a):
    client = client_for(leader_team_a)
    today = timezone.localdate().isoformat()
    bad = client.post(
        reverse("fieldwork:pairing-create"),
        {"person": worker.pk, "cadre": cadre_a.pk, "reason": "illness", "starts_on": today, "review_on": "2000-01-01"},
    )
    assert bad.status_code == 200 and "The review comes after the start." in bad.content.decode()
    response = client.post(
        reverse("fieldwork:pairing-create"),
        {"person": worker.pk, "cadre": cadre_a.pk, "reason": "illness", "reason_text": "住院", "starts_on": today},
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and pairing.cadre == cadre_a and pairing.created_by == leader_team_a
    refused = client.post(reverse("fieldwork:pairing-end", args=[pairing.pk]), {"end_reason": ""})
    assert refused.status_code == 200 and Pairing.objects.get().ended_at is None
    client.post(reverse("fieldwork:pairing-end", args=[pairing.pk]), {"end_reason": "病愈返岗"})
    assert Pairing.objects.get().end_reason == "病愈返岗"


def test_a_cadre_neither_pairs_nor_ends(client_for, pairing, cadre_a, worker):
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:pairing-create")).status_code == 404
    assert client.post(reverse("fieldwork:pairing-end", args=[pairing.pk]), {"end_reason": "x"}).status_code == 404
    assert Pairing.objects.get().ended_at is None


def test_a_worker_outside_the_leaders_units_is_refused(client_for, leader_other_branch, worker, cadre_a):
    response = client_for(leader_other_branch).post(
        reverse("fieldwork:pairing-create"),
        {"person": worker.pk, "cadre": cadre_a.pk, "reason": "illness", "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and not Pairing.objects.exists()


def test_my_work_lists_the_paired_workers(client_for, pairing, cadre_a, cadre_a2):
    body = client_for(cadre_a).get(reverse("fieldwork:my-work")).content.decode()
    assert 'id="section-pairings"' in body and "刘建国" in body and "No contact yet" in body
    assert 'id="section-pairings"' not in client_for(cadre_a2).get(reverse("fieldwork:my-work")).content.decode()
