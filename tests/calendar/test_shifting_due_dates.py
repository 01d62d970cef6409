"""A leader applies the notice's shifts to due dates in one step; a concern changed meanwhile is left
alone; the response-limit figures are counted again."""

import pytest
from django.urls import reverse

from fieldwork import rollups, workdays
from fieldwork.models import Concern, ConcernEvent
from fieldwork.services import concerns as concern_services
from tests.calendar.helpers import D, load, raise_concern

pytestmark = pytest.mark.django_db


def test_a_leader_applies_the_shifts_in_one_step(
    clock, client_for, team_a, cadre_a, leader_branch, leader_other_branch, notice_file
):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    load(str(notice_file))
    url = reverse("fieldwork:due-shift-list")
    assert client_for(cadre_a).get(url).status_code == 403
    assert "data-shift" not in client_for(leader_other_branch).get(url).content.decode()
    client = client_for(leader_branch)
    assert concern.reference in client.get(url).content.decode()

    response = client.post(url, follow=True)
    assert "1 due date moved to the new calendar." in response.content.decode()
    concern.refresh_from_db()
    assert (concern.due_date, concern.version) == (D(2027, 4, 15), 2)
    event = concern.events.get(kind=ConcernEvent.Kind.DUE_CHANGED)
    assert (
        event.actor == leader_branch
        and event.data == {"old_due": "2027-04-14", "new_due": "2027-04-15"}
        and "2027" in event.note
    )
    assert concern.history.count() == 2  # raised, then moved

    response = client.post(url, follow=True)  # a resend: nothing moves twice
    assert "0 due dates moved" in response.content.decode()
    assert concern.events.filter(kind=ConcernEvent.Kind.DUE_CHANGED).count() == 1


def test_a_shift_whose_concern_changed_meanwhile_is_left_alone(
    clock, client_for, team_a, cadre_a, leader_branch, notice_file
):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    load(str(notice_file))
    concern_services.concern_set_due(
        concern=concern, by=leader_branch, version=concern.version, due_date=D(2027, 5, 20)
    )
    client = client_for(leader_branch)
    assert "data-shift" not in client.get(reverse("fieldwork:due-shift-list")).content.decode()
    client.post(reverse("fieldwork:due-shift-list"))
    concern.refresh_from_db()
    assert concern.due_date == D(2027, 5, 20)


def test_the_response_limit_figures_are_counted_again(clock, team_a, cadre_a, leader_branch):
    clock.set(2026, 12, 30)  # a Wednesday: 2 working days are 31 December and 4 January (estimate)
    concern = raise_concern(team_a, cadre_a, Concern.Priority.NORMAL)
    clock.set(2027, 1, 5)
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    december = D(2026, 12, 1)
    assert rollups.stored()[(team_a.pk, december)]["taken_up_in_time"] == 0
    # The notice gives 4 January off as well: the limit runs to the 5th, and the response was in time.
    workdays.calendar_apply(
        year=2027, days={D(2027, 1, 1): (False, "元旦"), D(2027, 1, 4): (False, "元旦")}, source="notice"
    )
    assert rollups.stored()[(team_a.pk, december)]["taken_up_in_time"] == 1
    assert rollups.stored() == rollups.recount()
