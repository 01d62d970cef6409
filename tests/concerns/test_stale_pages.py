"""A page older than the concern: a repeated or late submit gets the conflict, never a change or a 403."""

import datetime

from django.utils import timezone

from fieldwork.models import Concern, ConcernEvent
from fieldwork.services import concerns as concern_services
from tests.concerns.helpers import HTMX, fresh, start, url


def test_repeated_submit_is_refused_by_the_version(client_for, cadre_a, concern):
    client = client_for(cadre_a)
    start(client, concern)
    response = start(client, concern)  # the same form, sent again
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Someone else changed this concern" in page and "Work started by" in page
    concern = fresh(concern)
    assert concern.version == 2
    assert concern.events.filter(kind=ConcernEvent.Kind.STARTED).count() == 1


def test_two_people_on_the_same_version(client, concern, cadre_a, leader_branch):
    client.force_login(leader_branch)
    client.post(url("concern-assess", concern), {"assess-version": 1, "assess-solvability": "now"})
    client.force_login(cadre_a)  # loaded the page before the leader's change
    response = client.post(url("concern-start", concern), {"start-version": 1}, follow=True)
    page = response.content.decode()
    assert "Someone else changed this concern after you loaded it (Assessed by 李芳" in page
    concern = fresh(concern)
    assert concern.status == Concern.Status.OPEN and concern.solvability == "now"


def test_stale_page_gets_the_conflict_not_a_403(client, concern, cadre_a, cadre_a2, leader_branch):
    """The owner's page predates a reassignment: they learn what changed instead of a bare 403."""
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=1, owner=cadre_a2)
    client.force_login(cadre_a)
    response = client.post(url("concern-start", concern), {"start-version": 1}, follow=True)
    assert response.status_code == 200
    assert "Owner changed by 李芳" in response.content.decode()


def test_invalid_form_on_a_stale_page_gets_the_conflict(client_for, cadre_a, leader_branch, concern):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    concern_services.concern_set_due(
        concern=concern, by=leader_branch, version=2, due_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    response = client_for(cadre_a).post(
        url("concern-resolve", concern), {"resolve-version": 2, "resolve-resolution": ""}, **HTMX
    )
    page = response.content.decode()
    assert "Someone else changed this concern" in page and "Due date changed by 李芳" in page
    assert "Please correct the errors below." not in page
