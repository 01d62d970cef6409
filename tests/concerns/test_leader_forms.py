"""A leader's forms on the page: withdraw, reassign, a new due date, and their refusals."""

import datetime

from django.utils import timezone

from fieldwork.models import Concern
from tests.concerns.helpers import fresh, url


def test_leader_withdraws_reassigns_and_moves_the_due_date(client_for, leader_branch, cadre_a2, concern):
    client = client_for(leader_branch)
    due = timezone.localdate() + datetime.timedelta(days=45)
    client.post(url("concern-set-due", concern), {"set_due-version": 1, "set_due-due_date": due.isoformat()})
    client.post(url("concern-reassign", concern), {"reassign-version": 2, "reassign-owner": cadre_a2.pk})
    response = client.post(url("concern-withdraw", concern), {"withdraw-version": 3, "withdraw-reason": ""})
    assert "This field is required." in response.content.decode()
    client.post(url("concern-withdraw", concern), {"withdraw-version": 3, "withdraw-reason": "A duplicate."})
    concern = fresh(concern)
    assert (concern.due_date, concern.owner, concern.status) == (due, cadre_a2, Concern.Status.WITHDRAWN)


def test_reassign_form_offers_only_people_of_the_unit(client_for, leader_branch, concern, cadre_b_other_team):
    client = client_for(leader_branch)
    response = client.post(
        url("concern-reassign", concern), {"reassign-version": 1, "reassign-owner": cadre_b_other_team.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert fresh(concern).owner.username == "cadre_a"


def test_set_due_in_the_past_is_refused(client_for, leader_branch, concern):
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(leader_branch).post(
        url("concern-set-due", concern), {"set_due-version": 1, "set_due-due_date": past.isoformat()}
    )
    assert "cannot be in the past" in response.content.decode()
    assert fresh(concern).version == 1
