"""Free text as people type it: a text made only of invisible characters (zero-width, ideographic
spaces) is empty, and bidirectional control characters, which can make text read other than it is,
are stripped — on the public form and the app's own forms alike (issue 15, item 8)."""

import pytest
from django.test import Client
from django.urls import reverse

from fieldwork.models import Concern, Visit
from tests.factories import category
from tests.visits.helpers import visit_post

from .conftest import form_token

INVISIBLE = ["\u200b\u200b\u200b", "\u3000\u3000", "\u200b\u3000\ufeff\u2060\u200c", " \u200d "]
BIDI = "\u202e\u2066\u200f"  # right-to-left override, left-to-right isolate, right-to-left mark


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_public_concern_of_invisible_characters_is_refused_beside_the_field(team_a, text):
    phone = Client()
    key = form_token(phone.get("/s/team-a/").content.decode())
    response = phone.post(
        "/s/team-a/", {"description": text, "category": category().pk, "anonymous": "on", "form_token": key}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == ["Say what happened."]
    assert Concern.objects.count() == 0


def test_bidi_controls_are_stripped_from_every_public_field(team_a):
    phone = Client()
    key = form_token(phone.get("/s/team-a/").content.decode())
    response = phone.post(
        "/s/team-a/",
        {
            "description": f"{BIDI}The gate{BIDI} is broken",
            "category": category().pk,
            "name": f"Liu{BIDI}",
            "contact": f"139{BIDI}0000",
            "form_token": key,
        },
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.description, concern.title) == ("The gate is broken", "The gate is broken")
    assert (concern.raised_by_name, concern.raised_by_contact) == ("Liu", "1390000")


def test_the_apps_own_forms_clean_text_the_same_way(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    url = reverse("fieldwork:visit-create")
    key = form_token(client.get(url).content.decode())
    refused = client.post(url, visit_post(team_a, concerns=[{"title": "\u200b\u3000"}], form_token=key))
    assert refused.status_code == 200
    assert "title" in refused.context["formset"].forms[0].errors
    saved = client.post(
        url,
        visit_post(team_a, summary=f"Heard {BIDI}about boots", concerns=[{"title": f"{BIDI}Boots"}], form_token=key),
    )
    assert saved.status_code == 302
    visit = Visit.objects.get()
    assert visit.summary == "Heard about boots"
    assert visit.concerns.get().title == "Boots"


def test_joiners_inside_a_text_are_kept(team_a):
    """A zero-width joiner inside a text belongs to it (emoji sequences); only a text of nothing else is empty."""
    phone = Client()
    key = form_token(phone.get("/s/team-a/").content.decode())
    phone.post(
        "/s/team-a/",
        {
            "description": "Thanks 👩\u200d🔧 for the repair",
            "category": category().pk,
            "anonymous": "on",
            "form_token": key,
        },
    )
    assert Concern.objects.get().description == "Thanks 👩\u200d🔧 for the repair"
