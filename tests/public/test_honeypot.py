"""The honeypot field, hidden by a class, saves nothing when filled."""

import re

import pytest

from fieldwork.models import Concern, PublicAttempt
from tests.public.helpers import RAISE_URL, send

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_the_honeypot_saves_nothing(anon, team_a):
    response = send(anon, website="http://spam.example")
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be sent" in html
    assert "spam.example" not in html  # the hidden field comes back empty, so a person's resend works
    assert "The canteen closes" in html
    assert Concern.objects.count() == 0
    assert PublicAttempt.objects.filter(kind=PublicAttempt.Kind.RAISE_ADDRESS).count() == 1


def test_the_honeypot_is_hidden_by_a_class(anon, team_a):
    html = anon.get(RAISE_URL).content.decode()
    assert re.search(r'<div class="fw-hp" aria-hidden="true">.*?name="website"', html, re.S)
    assert "style=" not in html
