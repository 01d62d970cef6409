"""Keys made on the phone (fieldwork.submissions, CLIENT_PURPOSES): accepted for the visit form only,
from a signed-in user, bound to that user, used up once."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from fieldwork import submissions
from fieldwork.models import Concern, SubmissionKey, Visit
from tests.visits.helpers import visit_post

SYNC = {"HTTP_X_FIELDWORK_SYNC": "1"}


def client_key() -> str:
    return f"client.{uuid.uuid4()}"


def test_a_client_key_is_read_for_the_visit_form_of_a_signed_in_user(cadre_a):
    raw = client_key()
    key = submissions.submission_key_read({"form_token": raw}, "visit", cadre_a)
    assert key is not None
    assert key.token == raw.removeprefix("client.")


@pytest.mark.parametrize(
    "raw",
    [
        "client.not-a-uuid",
        "client.3F2504E0-4F89-41D3-9A0C-0305E82C3301",  # crypto.randomUUID() is lower case
        "client.6ba7b810-9dad-11d1-80b4-00c04fd430c8",  # not a version 4 uuid
        "client.3f2504e0-4f89-41d3-9a0c-0305e82c3301x",
        "client.",
    ],
)
def test_a_malformed_client_key_is_refused(cadre_a, raw):
    assert submissions.submission_key_read({"form_token": raw}, "visit", cadre_a) is None
    assert submissions.submission_key_refused({"form_token": raw})


def test_a_client_key_is_refused_for_other_forms_and_without_a_user(cadre_a):
    raw = client_key()
    assert submissions.submission_key_read({"form_token": raw}, "concern", cadre_a) is None
    assert submissions.submission_key_read({"form_token": raw}, "public-raise", None) is None
    assert submissions.submission_key_read({"form_token": raw}, "visit", AnonymousUser()) is None


def test_the_same_client_key_of_two_users_is_two_keys(cadre_a, cadre_a2):
    raw = client_key()
    mine = submissions.submission_key_read({"form_token": raw}, "visit", cadre_a)
    theirs = submissions.submission_key_read({"form_token": raw}, "visit", cadre_a2)
    assert mine.digest != theirs.digest


def test_a_visit_sent_twice_with_one_client_key_is_made_once(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, concerns=[{"title": "Canteen closes early"}], form_token=client_key())
    first = client.post("/visits/new/", data, **SYNC)
    again = client.post("/visits/new/", data, **SYNC)
    assert first.status_code == again.status_code == 200
    assert first.json()["created"] is True
    assert again.json()["created"] is False
    assert again.json()["visit"] == first.json()["visit"]
    assert again.json()["concerns"] == first.json()["concerns"]
    assert Visit.objects.count() == 1
    assert Concern.objects.count() == 1
    assert SubmissionKey.objects.get().user == cadre_a


def test_a_page_post_with_a_client_key_answers_as_already_saved(client_for, cadre_a, team_a):
    """The form page kept by the phone, sent as a page (not from the waiting list): the same key rule."""
    client = client_for(cadre_a)
    data = visit_post(team_a, form_token=client_key())
    first = client.post("/visits/new/", data)
    assert first.status_code == 302
    again = client.post("/visits/new/", data, follow=True)
    assert Visit.objects.count() == 1
    assert "Already saved" in again.content.decode()


def test_another_user_sending_the_same_client_key_does_not_get_the_first_users_visit(client, cadre_a, cadre_a2, team_a):
    raw = client_key()
    client.force_login(cadre_a)
    first = client.post("/visits/new/", visit_post(team_a, form_token=raw), **SYNC).json()
    client.force_login(cadre_a2)
    second = client.post("/visits/new/", visit_post(team_a, form_token=raw), **SYNC).json()
    assert first["ok"] and second["ok"]
    assert first["visit"] != second["visit"]
    assert Visit.objects.filter(author=cadre_a).count() == 1
    assert Visit.objects.filter(author=cadre_a2).count() == 1


def test_a_refused_visit_leaves_its_client_key_unused(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    raw = client_key()
    refused = client.post("/visits/new/", visit_post(team_a, form_token=raw, people_reached="0"), **SYNC)
    assert refused.status_code == 422
    assert not SubmissionKey.objects.exists()
    made = client.post("/visits/new/", visit_post(team_a, form_token=raw), **SYNC)
    assert made.json()["ok"] is True
    assert Visit.objects.count() == 1
