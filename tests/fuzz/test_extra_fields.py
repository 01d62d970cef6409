"""Fields a form does not have are ignored."""

from django.urls import reverse

from fieldwork.models import Concern, Visit
from tests.factories import category
from tests.fuzz.helpers import visit_form


def test_extra_fields_are_ignored(client_for, cadre_a, leader_branch, team_a, world):
    client = client_for(cadre_a)
    data = visit_form(team_a.pk, {"title": "Extra fields", "category": category().pk})
    data.update(
        {
            "author": leader_branch.pk,
            "status": "closed",
            "concerns-0-status": "closed",
            "concerns-0-owner": leader_branch.pk,
        }
    )
    assert client.post(reverse("fieldwork:visit-create"), data).status_code == 302
    visit = Visit.objects.latest("id")
    assert visit.author == cadre_a
    concern = visit.concerns.get()
    assert concern.status == Concern.Status.OPEN and concern.owner == cadre_a

    target = world["concern"]
    client.post(
        reverse("fieldwork:concern-start", args=[target.pk]),
        {
            "start-version": target.version,
            "status": "closed",
            "start-status": "closed",
            "owner": leader_branch.pk,
            "start-owner": leader_branch.pk,
            "unit": 999,
        },
    )
    target.refresh_from_db()
    assert target.status == Concern.Status.IN_PROGRESS and target.owner == cadre_a and target.unit_id == team_a.pk
