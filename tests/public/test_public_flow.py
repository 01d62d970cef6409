"""The public channel end to end: a person raises a concern with the form, follows it by its receipt code,
and gives the callback; the leader sees it arrive and assigns it."""

import re

import pytest
from django.test import Client

from fieldwork import public
from fieldwork.models import Concern, ConcernEvent, Feedback
from fieldwork.services import concerns as concern_services
from tests.public.helpers import TRACK_URL, resolve, send, track

pytestmark = pytest.mark.clock(2026, 11, 10)


def receipt_code(client, unit_code="team-a") -> str:
    page = client.get(f"/s/{unit_code}/receipt/")
    match = re.search(r"data-receipt-code>([A-Z0-9-]+)<", page.content.decode())
    assert match, page.content.decode()
    return match.group(1)


def test_public_flow_from_form_to_satisfied_callback(anon, team_a, leader_branch):
    response = send(anon)
    assert response.status_code == 302
    assert response["Location"] == "/s/team-a/receipt/"
    concern = Concern.objects.get()
    assert concern.source == Concern.Source.PUBLIC
    assert concern.unit == team_a
    assert concern.owner is None  # no receiver: a leader assigns it
    assert concern.anonymous and concern.raised_by_name == "" and concern.raised_by_contact == ""
    assert concern.title == "The canteen closes before the night shift ends."
    assert concern.created_by is None
    raised_event = concern.events.get()
    assert raised_event.kind == ConcernEvent.Kind.RAISED and raised_event.actor is None

    code = receipt_code(anon)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    plain = code.replace("-", "")
    assert concern.receipt_code == public.receipt_code_hash(plain)  # issue 15: an HMAC with the receipt key
    assert plain not in concern.receipt_code
    # Shown once: a reload of the receipt page no longer has it.
    again = anon.get("/s/team-a/receipt/")
    assert plain[:4] not in again.content.decode()
    assert "data-receipt-code" not in again.content.decode()

    # Later, on another phone: the code typed in lower case with spaces.
    phone = Client()
    found = track(phone, " " + code.lower().replace("-", " ") + " ")
    assert found.status_code == 302 and found["Location"] == TRACK_URL
    assert code not in found["Location"]
    page = phone.get(TRACK_URL).content.decode()
    assert concern.reference in page and "Open" in page
    assert "Are you satisfied with what was done?" not in page

    resolve(concern, leader_branch)
    page = phone.get(TRACK_URL).content.decode()
    assert "Resolved" in page and "Are you satisfied with what was done?" in page

    concern.refresh_from_db()
    answer = phone.post(
        "/s/track/callback/",
        {"version": concern.version, "satisfaction": "satisfied", "comment": "The canteen stays open now."},
    )
    assert answer.status_code == 302 and answer["Location"] == TRACK_URL
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    feedback = Feedback.objects.get()
    assert feedback.channel == Feedback.Channel.SELF_SERVICE and feedback.recorded_by is None
    assert feedback.satisfaction == Feedback.Satisfaction.SATISFIED
    page = phone.get(TRACK_URL).content.decode()
    assert "Thank you. Your concern is now closed." in page
    assert "Closed: the person is satisfied" in page


def test_the_browser_that_raised_it_follows_it_at_once(anon, team_a):
    send(anon)
    receipt_code(anon)
    page = anon.get(TRACK_URL).content.decode()
    assert Concern.objects.get().reference in page


def test_the_leader_sees_it_arrive_assigns_it_and_the_person_follows_it(
    anon, client_for, team_a, cadre_a, leader_branch
):
    """The issue's "done when": a concern sent from the poster's address reaches the leader's my-work,
    marked public; the leader gives it an owner, and the person sees the work start."""
    send(anon)
    concern = Concern.objects.get()
    section = re.search(
        r'id="section-unassigned">(.*?)</section>', client_for(leader_branch).get("/").content.decode(), re.S
    ).group(1)
    assert concern.reference in section and ">public<" in section
    concern_services.concern_reassign(concern=concern, by=leader_branch, version=concern.version, owner=cadre_a)
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    page = anon.get(TRACK_URL).content.decode()
    assert "In progress" in page and "Owner changed" not in page and "cadre_a" not in page
