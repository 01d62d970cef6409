"""The public channel: a resend of the same raise (a weak connection lost the first answer, a double
tap, Back then Send) shows the same receipt code again and makes no second concern (issue 15, items 5
and 8)."""

import re

import pytest
from django.db import connection
from django.test import Client

from fieldwork import public
from fieldwork.models import Concern
from tests.factories import category

from .conftest import Browser, at_once, form_token

RAISE_URL = "/s/team-a/"


def raise_body(key: str, **extra) -> dict:
    return {
        "description": "The canteen closes before the night shift ends.",
        "category": category("working_conditions").pk,
        "anonymous": "on",
        "form_token": key,
        **extra,
    }


def shown_code(client) -> str:
    page = client.get("/s/team-a/receipt/").content.decode()
    match = re.search(r"data-receipt-code>([A-Z0-9-]+)<", page)
    assert match, page
    return match.group(1)


def test_a_resend_shows_the_same_receipt_code_again(team_a):
    phone = Client()
    key = form_token(phone.get(RAISE_URL).content.decode())
    assert phone.post(RAISE_URL, raise_body(key)).status_code == 302
    code = shown_code(phone)

    # The answer was lost on the way: the phone sends the same form again, the text touched up.
    again = phone.post(RAISE_URL, raise_body(key, description="The canteen closes too early."))
    assert again.status_code == 302 and again["Location"] == "/s/team-a/receipt/"
    assert shown_code(phone) == code
    concern = Concern.objects.get()
    assert concern.description == "The canteen closes before the night shift ends."
    assert public.concern_by_receipt(code) == concern


def test_the_resend_needs_no_session_the_key_is_enough(team_a):
    """A retry may come from a browser that lost its cookies: the key itself is what the raise is bound to."""
    key = form_token(Client().get(RAISE_URL).content.decode())
    first, second = Client(), Client()
    first.post(RAISE_URL, raise_body(key))
    code = shown_code(first)
    assert second.post(RAISE_URL, raise_body(key)).status_code == 302
    assert shown_code(second) == code
    assert Concern.objects.count() == 1


def test_the_code_comes_from_the_key_with_the_receipt_key(team_a, settings):
    settings.FIELDWORK_RECEIPT_KEY = "receipt-key-one-" + "a" * 32
    phone = Client()
    key = form_token(phone.get(RAISE_URL).content.decode())
    phone.post(RAISE_URL, raise_body(key))
    code = shown_code(phone)
    # The key rotates; the old one is still accepted: the resend shows the same, working code.
    settings.FIELDWORK_RECEIPT_KEY = "receipt-key-two-" + "b" * 32
    settings.FIELDWORK_RECEIPT_KEYS_OLD = ["receipt-key-one-" + "a" * 32]
    phone.post(RAISE_URL, raise_body(key))
    assert shown_code(phone) == code
    assert public.concern_by_receipt(code) == Concern.objects.get()


def test_a_forged_or_missing_key_makes_nothing_and_keeps_the_text(team_a):
    phone = Client()
    phone.get(RAISE_URL)
    for key in ("", "made-up-by-a-script"):
        response = phone.post(RAISE_URL, raise_body(key))
        assert response.status_code == 200
        assert "The canteen closes" in response.content.decode()
        assert form_token(response.content.decode())  # a fresh key to send it with
    assert Concern.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # as every transactional test here
def test_four_identical_raises_at_once_make_one_concern(live_server, team_a):
    browser = Browser(live_server)
    body = raise_body("", **browser.form(RAISE_URL))

    def send():
        return browser.request("POST", RAISE_URL, body)

    answers = at_once(4, send) if connection.vendor == "postgresql" else [send() for _ in range(4)]
    assert Concern.objects.count() == 1
    assert [status for status, _headers, _html in answers] == [302] * 4


def test_the_persons_own_callback_sent_twice_is_recorded_once(team_a, leader_branch):
    from fieldwork.models import Feedback
    from fieldwork.services import concerns as concern_services
    from fieldwork.services import public as public_services

    concern, code = public_services.public_concern_raise(unit=team_a, category=category(), description="Icy stairs")
    concern_services.concern_start(concern=concern, by=leader_branch, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=leader_branch, version=concern.version, resolution="Salted")
    phone = Client()
    phone.post("/s/track/", {"code": code})
    html = phone.get("/s/track/").content.decode()
    body = {
        "version": concern.version,
        "satisfaction": "satisfied",
        "form_token": form_token(html, "/s/track/callback/"),
    }
    assert phone.post("/s/track/callback/", body).status_code == 302
    again = phone.post("/s/track/callback/", {**body, "comment": "Thank you"})
    assert again.status_code == 302
    assert Feedback.objects.count() == 1
    assert "Already saved" in phone.get(again["Location"]).content.decode()
