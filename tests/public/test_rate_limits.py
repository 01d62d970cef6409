"""Submissions and failed lookups are limited per address (an IPv6 /64) and per unit, then recover;
a right code is not a failure; the client address is read behind a trusted proxy only."""

import datetime

import pytest
from django.test import RequestFactory

from fieldwork import public
from fieldwork.client import client_address
from fieldwork.models import Concern, PublicAttempt
from tests.public.helpers import NOW, raised, send, track

pytestmark = pytest.mark.clock(2026, 11, 10)


def test_submissions_per_address_are_limited_then_recover(anon, team_a, clock):
    for _ in range(5):
        assert send(anon).status_code == 302
    refused = send(anon)
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "from your connection in the last hour" in html and "at 11:00" in html
    assert Concern.objects.count() == 5
    # Another address is not held back.
    assert send(anon, meta={"REMOTE_ADDR": "10.1.2.3"}).status_code == 302
    clock.move(minutes=61)
    assert send(anon).status_code == 302
    assert Concern.objects.count() == 7


def test_submissions_per_unit_are_limited_then_recover(anon, team_a, team_b, clock):
    key = public.attempt_key(f"unit:{team_a.pk}")
    PublicAttempt.objects.bulk_create(
        PublicAttempt(kind=PublicAttempt.Kind.RAISE_UNIT, key=key, created_at=NOW - datetime.timedelta(minutes=30))
        for _ in range(50)
    )
    refused = send(anon)
    assert refused.status_code == 429
    assert 1700 < int(refused["Retry-After"]) <= 1800
    assert "This unit's channel has received a great many concerns" in refused.content.decode()
    assert send(anon, "/s/team-b/").status_code == 302  # other units are open
    clock.move(minutes=31)
    assert send(anon).status_code == 302


def test_failed_lookups_are_limited_then_recover(anon, team_a, clock):
    _concern, code = raised(team_a)
    for _ in range(10):
        assert track(anon, "ZZZZ-ZZZZ-ZZZZ").status_code == 200
    refused = track(anon, code)  # even the right code, or guessing would go on
    assert refused.status_code == 429
    assert 800 < int(refused["Retry-After"]) <= 900
    assert "look-ups from it are paused" in refused.content.decode()
    assert track(anon, code, REMOTE_ADDR="10.9.9.9").status_code == 302
    clock.move(minutes=16)
    assert track(anon, code).status_code == 302


def test_a_right_code_is_not_counted_as_a_failure(anon, team_a):
    _concern, code = raised(team_a)
    for _ in range(12):
        assert track(anon, code).status_code == 302
    assert PublicAttempt.objects.count() == 0


def test_old_attempts_are_pruned(team_a, clock):
    public.attempt_record(public.RAISE_PER_ADDRESS, "k")
    clock.move(hours=2)
    public.attempt_record(public.RAISE_PER_ADDRESS, "k")
    assert PublicAttempt.objects.count() == 1


def test_client_address_behind_a_trusted_proxy(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert client_address(request) == "10.0.0.1"  # no trusted proxy: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 2  # each proxy appends the address it saw: the 2nd from the right
    assert client_address(request) == "203.0.113.7"


def test_an_ipv6_client_is_counted_per_64():
    factory = RequestFactory()
    one = client_address(factory.get("/", REMOTE_ADDR="2001:db8:1:2::1"))
    two = client_address(factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert one == two == "2001:db8:1:2::"
