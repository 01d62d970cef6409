"""Fewer steps to a resolution: the owner's (or a leader's) first action takes an open concern up;
another cadre's does not; an action is due when its concern is unless told; a reopened concern stands
out on its owner's my work with the person's words; the owner's page says who will call back."""

import datetime

import pytest
from django.urls import reverse

from fieldwork import selectors
from fieldwork.models import Concern, ConcernEvent, Feedback
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from tests.callbacks_queue.helpers import MY_WORK

pytestmark = pytest.mark.clock(2026, 12, 1)


def _add(concern, by, owner, description="Call the supplier.", **kwargs):
    return action_services.action_add(
        concern=concern,
        by=by,
        description=description,
        owner=owner,
        due_date=kwargs.pop("due", concern.due_date),
    )


@pytest.mark.parametrize("who", ["owner", "leader"])
def test_the_owner_s_or_a_leader_s_first_action_takes_the_concern_up(who, concern, cadre_a, leader_team_a, clock):
    by = cadre_a if who == "owner" else leader_team_a
    _add(concern, by, cadre_a)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS and concern.taken_up_at == clock.now
    started = concern.events.get(kind=ConcernEvent.Kind.STARTED)
    assert started.actor == by and started.from_status == "open" and started.to_status == "in_progress"
    _add(
        concern, by, cadre_a, "Visit the site.", due=concern.due_date + datetime.timedelta(days=1)
    )  # a second one changes nothing
    assert concern.events.filter(kind=ConcernEvent.Kind.STARTED).count() == 1


def test_another_cadre_s_action_does_not(concern, cadre_a, cadre_a2):
    _add(concern, cadre_a2, cadre_a2)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN and concern.taken_up_at is None


def test_a_leader_taking_up_an_unassigned_concern_owns_it(concern, leader_team_a):
    Concern.objects.filter(pk=concern.pk).update(owner=None)
    concern.refresh_from_db()
    _add(concern, leader_team_a, leader_team_a)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS and concern.owner == leader_team_a


def test_the_action_form_defaults_to_the_concern_s_due_date(client_for, concern, cadre_a):
    client = client_for(cadre_a)
    page = client.get(concern.get_absolute_url()).content.decode()
    assert f'name="action-due_date" value="{concern.due_date.isoformat()}"' in page
    from fieldwork import submissions

    response = client.post(
        reverse("fieldwork:concern-action-create", args=[concern.pk]),
        {
            "action-description": "Order a ballast.",
            "action-owner": cadre_a.pk,
            "action-due_date": "",
            submissions.FIELD: submissions.submission_key_new("action", cadre_a),
        },
    )
    assert response.status_code in (200, 302)
    assert concern.actions.get().due_date == concern.due_date


def test_a_reopened_concern_stands_out_with_the_person_s_words(client_for, resolved_concern, cadre_a, cadre_a2):
    callback_services.feedback_record(
        concern=resolved_concern,
        by=cadre_a2,
        version=resolved_concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
        comment="灯还是闪",
    )
    work = selectors.my_work(user=cadre_a)
    rows = [item.concern for section in ("overdue", "due_soon", "later") for item in work[section].items]
    assert [concern.reopened_words for concern in rows] == ["灯还是闪"]
    page = client_for(cadre_a).get(MY_WORK).content.decode()
    assert "data-reopened" in page and "灯还是闪" in page


def test_the_owner_s_page_says_who_will_call_back(client_for, resolved_concern, cadre_a, cadre_a2, leader_team_a):
    page = client_for(cadre_a).get(resolved_concern.get_absolute_url()).content.decode()
    assert "赵强、陈军 will ask the person whether they are satisfied" in page
    assert 'data-step="callback"' not in page  # the owner does not grade their own work


def test_the_owner_s_page_names_the_unit_above_when_nobody_else_is_in_the_unit(
    client_for, resolved_concern, cadre_a, leader_branch
):
    page = client_for(cadre_a).get(resolved_concern.get_absolute_url()).content.decode()
    assert "someone from Substation workshop will ask" in page
