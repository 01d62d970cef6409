"""Each edit of a visit is one history record naming the fields and cadres; an invalid edit writes none."""

import pytest
from django.urls import reverse

from fieldwork.models import Visit
from tests.concerns.history_helpers import history_section
from tests.factories import MembershipFactory, UserFactory, principle
from tests.visits.helpers import visit_post

pytestmark = pytest.mark.django_db


def test_a_visit_edit_is_one_record_naming_fields_and_cadres(client_for, cadre_a, leader_branch, team_a):
    client = client_for(cadre_a)
    client.post(reverse("fieldwork:visit-create"), visit_post(team_a))
    visit = Visit.objects.get()
    assert visit.history.count() == 1  # not one per save and per cadres/principles change
    helper = UserFactory(username="helper", first_name="强", last_name="张")
    MembershipFactory(user=helper, unit=team_a)
    client = client_for(leader_branch)
    response = client.post(
        reverse("fieldwork:visit-edit", args=[visit.pk]),
        visit_post(team_a, location="Canteen", cadres=[helper.pk], principles=[principle("pragmatism").pk], version=1),
    )
    assert response.status_code == 302
    records = list(visit.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user) for r in records] == [("+", cadre_a), ("~", leader_branch)]
    section = history_section(client.get(visit.get_absolute_url()).content.decode())
    assert "<del>Night shift room</del> → <ins>Canteen</ins>" in section
    assert "张强" in section  # the cadre added
    assert "李芳" in section  # who edited


def test_an_invalid_edit_writes_no_record(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    client.post(reverse("fieldwork:visit-create"), visit_post(team_a))
    visit = Visit.objects.get()
    response = client.post(reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a, people_reached="0"))
    assert response.status_code == 200
    assert visit.history.count() == 1
