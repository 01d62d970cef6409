"""A form that creates something is sent once: a second POST with the same submission key (a resend, a
double tap, a retry, Back then Save, even with changed fields) answers with the record already made,
never a second one (issue 15, item 5). The public channel's resends: test_public_resend.py."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Concern, ExtensionRequest, Feedback, FollowUpAction, Visit
from fieldwork.services import concerns as concern_services
from tests.factories import VisitFactory, category
from tests.visits.helpers import visit_post

from .conftest import at_once, form_token, signed_in_browser

ALREADY = "Already saved"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def key_of(client, page: str, action: str | None = None) -> str:
    return form_token(client.get(page).content.decode(), action)


def test_the_visit_form_twice_makes_one_visit_and_answers_with_it(team_a, cadre_a):
    client = signed_in(cadre_a)
    url = reverse("fieldwork:visit-create")
    key = key_of(client, url)
    first = client.post(url, visit_post(team_a, concerns=[{"title": "Boots"}, {"title": "Canteen"}], form_token=key))
    visit = Visit.objects.get()
    assert first.status_code == 302 and first["Location"] == visit.get_absolute_url()

    # Back then Save, after changing a field and adding a concern: the same opening of the form.
    again = client.post(
        url,
        visit_post(
            team_a,
            people_reached="9",
            concerns=[{"title": "Boots"}, {"title": "Canteen"}, {"title": "Lockers"}],
            form_token=key,
        ),
    )
    assert again.status_code == 302 and again["Location"] == visit.get_absolute_url()
    assert Visit.objects.count() == 1 and Concern.objects.count() == 2
    assert Visit.objects.get().people_reached == 4
    page = client.get(again["Location"]).content.decode()
    assert ALREADY in page
    assert reverse("fieldwork:visit-edit", args=[visit.pk]) in page  # "edit it here"


def test_a_new_opening_of_the_form_is_a_new_visit(team_a, cadre_a):
    client = signed_in(cadre_a)
    url = reverse("fieldwork:visit-create")
    for _ in range(2):
        assert client.post(url, visit_post(team_a, form_token=key_of(client, url))).status_code == 302
    assert Visit.objects.count() == 2


def test_a_refused_post_does_not_use_the_key_up(team_a, cadre_a):
    client = signed_in(cadre_a)
    url = reverse("fieldwork:visit-create")
    key = key_of(client, url)
    refused = client.post(url, visit_post(team_a, people_reached="0", form_token=key))
    assert refused.status_code == 200 and Visit.objects.count() == 0
    assert form_token(refused.content.decode()) == key  # the same opening of the form, still unused
    assert client.post(url, visit_post(team_a, form_token=key)).status_code == 302
    assert Visit.objects.count() == 1


def test_the_key_is_bound_to_the_person_it_was_made_for(team_a, cadre_a, leader_branch):
    url = reverse("fieldwork:visit-create")
    key = key_of(signed_in(cadre_a), url)
    response = signed_in(leader_branch).post(url, visit_post(team_a, form_token=key))
    assert response.status_code == 200
    assert "send it again" in response.content.decode()
    assert Visit.objects.count() == 0
    assert form_token(response.content.decode()) != key  # a fresh key of the leader's own


def test_an_edit_adding_concerns_sent_twice_adds_them_once(team_a, cadre_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    client = signed_in(cadre_a)
    url = reverse("fieldwork:visit-edit", args=[visit.pk])
    key = key_of(client, url)
    body = visit_post(team_a, concerns=[{"title": "Added later"}], version="1", form_token=key)
    assert client.post(url, body).status_code == 302
    again = client.post(url, body)
    assert again.status_code == 302 and again["Location"] == visit.get_absolute_url()
    assert visit.concerns.count() == 1
    assert ALREADY in client.get(again["Location"]).content.decode()


def test_a_concern_raised_twice_is_one_concern(team_a, cadre_a):
    client = signed_in(cadre_a)
    url = reverse("fieldwork:concern-create")
    key = key_of(client, url)
    body = {"unit": team_a.pk, "category": category().pk, "title": "Lockers", "priority": "normal", "form_token": key}
    first = client.post(url, body)
    concern = Concern.objects.get()
    again = client.post(url, {**body, "title": "Lockers are broken"})
    assert again.status_code == 302 and again["Location"] == first["Location"] == concern.get_absolute_url()
    assert Concern.objects.count() == 1
    assert ALREADY in client.get(again["Location"]).content.decode()


def test_an_action_sent_twice_with_changed_text_is_added_once(open_concern, cadre_a):
    client = signed_in(cadre_a)
    page = open_concern.get_absolute_url()
    action = reverse("fieldwork:concern-action-create", args=[open_concern.pk])
    key = key_of(client, page, action)
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    body = {"action-description": "Call the electrician", "action-owner": cadre_a.pk, "action-due_date": due}
    assert client.post(action, {**body, "form_token": key}).status_code == 302
    again = client.post(action, {**body, "action-description": "Call the electrician today", "form_token": key})
    assert again.status_code == 302
    assert FollowUpAction.objects.count() == 1
    assert ALREADY in client.get(again["Location"]).content.decode()
    # with htmx the answer is the fragment, saying the same
    fragment = client.post(action, {**body, "form_token": key}, headers={"HX-Request": "true"})
    assert ALREADY in fragment.content.decode() and FollowUpAction.objects.count() == 1


def test_a_callback_sent_twice_is_recorded_once(open_concern, cadre_a, colleague):
    concern_services.concern_start(concern=open_concern, by=cadre_a, version=open_concern.version)
    concern_services.concern_resolve(concern=open_concern, by=cadre_a, version=open_concern.version, resolution="Fixed")
    client = signed_in(colleague)
    url = reverse("fieldwork:concern-callback", args=[open_concern.pk])
    key = key_of(client, open_concern.get_absolute_url(), url)
    body = {
        "callback-version": open_concern.version,
        "callback-satisfaction": "satisfied",
        "callback-channel": "phone",
        "form_token": key,
    }
    assert client.post(url, body).status_code == 302
    again = client.post(url, {**body, "callback-comment": "Very pleased"})
    assert again.status_code == 302
    assert Feedback.objects.count() == 1
    page = client.get(again["Location"]).content.decode()
    assert ALREADY in page and "changed this concern" not in page  # not a conflict: it was this person's


def test_an_extension_request_sent_twice_is_one_request(open_concern, cadre_a):
    client = signed_in(cadre_a)
    url = reverse("fieldwork:concern-extension-request", args=[open_concern.pk])
    key = key_of(client, open_concern.get_absolute_url(), url)
    later = (open_concern.due_date + datetime.timedelta(days=10)).isoformat()
    body = {"extension-requested_due_date": later, "extension-reason": "Parts are on order", "form_token": key}
    assert client.post(url, body).status_code == 302
    again = client.post(url, {**body, "extension-reason": "Parts are on order from Taiyuan"})
    assert again.status_code == 302
    assert ExtensionRequest.objects.count() == 1
    assert ALREADY in client.get(again["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)  # as every transactional test here
def test_four_identical_posts_at_once_make_one_visit(live_server, team_a, cadre_a):
    """Four POSTs of one opening of the form, each on its own connection and database connection."""
    browser = signed_in_browser(live_server, cadre_a)
    url = reverse("fieldwork:visit-create")
    body = visit_post(team_a, concerns=[{"title": "Boots"}], **browser.form(url))

    def send():
        return browser.request("POST", url, body)

    # SQLite serves the live server's threads on one shared in-memory connection: one after another there
    answers = at_once(4, send) if connection.vendor == "postgresql" else [send() for _ in range(4)]
    visit = Visit.objects.get()
    assert Concern.objects.count() == 1
    assert [status for status, _headers, _html in answers] == [302] * 4
    assert {headers["Location"] for _status, headers, _html in answers} == {visit.get_absolute_url()}
