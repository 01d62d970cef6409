"""The visit create view's JSON answer to a visit sent from the phone (X-Fieldwork-Sync: 1): the same
checks as the page, the references made, the messages by field, the confirmation step, the phone's
save time bounded."""

import datetime
import uuid

from django.utils import timezone

from fieldwork.models import Concern, Visit
from tests.visits.helpers import visit_post

SYNC = {"HTTP_X_FIELDWORK_SYNC": "1"}


def key() -> str:
    return f"client.{uuid.uuid4()}"


def test_a_visit_with_concerns_answers_its_references(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, concerns=[{"title": "Canteen"}, {"title": "Lights"}], form_token=key())
    answer = client.post("/visits/new/", data, **SYNC)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    visit = Visit.objects.get()
    assert body["ok"] is True
    assert body["visit"] == f"V-{visit.pk}"
    assert body["url"] == visit.get_absolute_url()
    assert body["concerns"] == list(Concern.objects.order_by("id").values_list("reference", flat=True))
    assert len(body["concerns"]) == 2


def test_bad_input_answers_the_messages_by_field_and_saves_nothing(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, concerns=[{"title": ""}], form_token=key(), people_reached="abc")
    answer = client.post("/visits/new/", data, **SYNC)
    assert answer.status_code == 422
    body = answer.json()
    assert body["ok"] is False
    assert body["errors"]["people_reached"] == ["Enter a whole number."]
    assert body["errors"]["concerns-0-title"] == ["This field is required."]
    assert not Visit.objects.exists()


def test_a_back_dated_visit_asks_for_the_confirmation_step(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    late = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    answer = client.post("/visits/new/", visit_post(team_a, date=late, form_token=key()), **SYNC)
    body = answer.json()
    assert body["ok"] is False and body["confirm"] is True
    assert "10 days before the visit is logged" in body["errors"]["date"][0]
    assert not Visit.objects.exists()


def test_the_phones_save_time_is_what_back_dating_is_measured_from(client_for, cadre_a, team_a):
    """Saved on the phone nine days ago, the day of the visit: not back-dated, and not asked to confirm."""
    client = client_for(cadre_a)
    saved = timezone.now() - datetime.timedelta(days=9)
    day = timezone.localtime(saved).date().isoformat()
    data = visit_post(team_a, date=day, form_token=key(), saved_at=saved.isoformat())
    body = client.post("/visits/new/", data, **SYNC).json()
    assert body["ok"] is True, body
    assert Visit.objects.get().backdated is False


def test_a_save_time_in_the_future_counts_as_now(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    late = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    future = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    body = client.post("/visits/new/", visit_post(team_a, date=late, form_token=key(), saved_at=future), **SYNC).json()
    assert body["ok"] is False and body["confirm"] is True


def test_a_save_time_older_than_the_oldest_visit_is_bounded(client_for, cadre_a, team_a, settings):
    """A save time cannot reach back further than VISIT_OLDEST_DAYS: a visit older still is refused."""
    client = client_for(cadre_a)
    oldest = settings.FIELDWORK["VISIT_OLDEST_DAYS"]
    ancient = timezone.localdate() - datetime.timedelta(days=2 * oldest + 5)
    claimed = timezone.now() - datetime.timedelta(days=2 * oldest)
    data = visit_post(team_a, date=ancient.isoformat(), form_token=key(), saved_at=claimed.isoformat())
    body = client.post("/visits/new/", data, **SYNC).json()
    assert body["ok"] is False
    assert "cannot be saved: check the date" in body["errors"]["date"][0]


def test_an_unreadable_save_time_counts_as_now(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    body = client.post("/visits/new/", visit_post(team_a, form_token=key(), saved_at="yesterday"), **SYNC).json()
    assert body["ok"] is True
    assert Visit.objects.get().backdated is False


def test_a_forged_key_is_answered_in_json_and_saves_nothing(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    answer = client.post("/visits/new/", visit_post(team_a, form_token="forged:abc"), **SYNC)
    assert answer.status_code == 422
    assert "could not be checked" in answer.json()["errors"]["__all__"][0]
    assert not Visit.objects.exists()


def test_signed_out_the_sync_is_sent_to_sign_in(client, team_a):
    answer = client.post("/visits/new/", visit_post(team_a, form_token=key()), **SYNC)
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]
    assert not Visit.objects.exists()


def test_without_the_header_the_page_answers_as_before(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    answer = client.post("/visits/new/", visit_post(team_a, form_token=key()))
    assert answer.status_code == 302
    assert answer["Location"] == Visit.objects.get().get_absolute_url()
