"""Sessions: a new key at sign-in, idle and absolute lifetimes, a deactivated user signed out."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from fieldwork.middleware import SESSION_SEEN, SESSION_STARTED
from tests.config.helpers import sign_in


def test_sign_in_gives_a_new_session_key(client, cadre_a):
    client.get(reverse("login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen"
    sign_in(client, "cadre_a", "pass-for-tests-1")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attacker-chosen"


@pytest.mark.parametrize(
    ("started_ago", "seen_ago", "signed_in"),
    [(3600, 30, True), (3600, 2 * 3600, False), (13 * 3600, 30, False)],
)
def test_idle_and_absolute_session_lifetimes(client_for, cadre_a, started_ago, seen_ago, signed_in):
    client = client_for(cadre_a)
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()
    response = client.get(reverse("fieldwork:visit-list"))
    assert (response.status_code == 200) is signed_in


def test_a_deactivated_user_is_signed_out(client_for, cadre_a):
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:visit-list")).status_code == 200
    cadre_a.is_active = False
    cadre_a.save()
    assert client.get(reverse("fieldwork:visit-list")).status_code == 302
