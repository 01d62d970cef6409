"""The app as the README deploys it: Debian's nginx with deploy/nginx.conf in front, TRUSTED_PROXY_COUNT=1.

People are told apart by the address nginx saw (each test person is bound to its own loopback
address), whatever they write in X-Forwarded-For themselves: for sign-in protection (django-axes) and
for the public channel's rate limits alike.
"""

import pytest
from axes.models import AccessAttempt

from fieldwork.models import Concern
from fieldwork.services import public as public_services
from tests.deploy.web import Person
from tests.factories import category

PASSWORD = "pass-for-tests-1"  # the password of every user the factories make


@pytest.fixture
def deployed(settings, nginx, live_server):
    """The live server as production runs it behind one nginx."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return nginx


def person(nginx, source: str) -> Person:
    return Person(nginx.https_port, source=source)


def sign_in(who: Person, username: str, password: str, *, forged: str | None = None) -> int:
    headers = {"X-Forwarded-For": forged} if forged else None
    return who.submit("/accounts/login/", {"username": username, "password": password}, headers=headers).status


def raise_concern(who: Person, *, forged: str | None = None) -> int:
    headers = {"X-Forwarded-For": forged} if forged else None
    fields = {
        "description": "The canteen closes before the night shift ends.",
        "category": str(category("working_conditions").pk),
        "anonymous": "on",
        "name": "",
        "contact": "",
        "website": "",
    }
    return who.submit("/s/team-a/", fields, headers=headers).status


def test_nginx_sends_plain_http_to_https(deployed):
    response = Person(deployed.http_port, tls=False).get("/s/team-a/")
    assert response.status == 301
    assert response.headers["Location"].startswith("https://localhost/")


def test_a_forged_header_does_not_move_the_address(deployed, cadre_a):
    attacker = person(deployed, "127.0.0.2")
    assert sign_in(attacker, "cadre_a", "wrong") == 200
    assert sign_in(attacker, "cadre_a", "wrong", forged="203.0.113.9") == 200
    assert sign_in(attacker, "cadre_a", "wrong", forged="198.51.100.1, 203.0.113.10") == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}
    assert AccessAttempt.objects.get().failures_since_start == 3


def test_clients_at_different_addresses_are_told_apart(deployed, cadre_a):
    for number in range(2, 6):
        assert sign_in(person(deployed, f"127.0.0.{number}"), "cadre_a", "wrong") == 200
    addresses = sorted(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]


def test_a_locked_out_attacker_does_not_lock_out_the_victim(deployed, cadre_a):
    attacker = person(deployed, "127.0.0.2")
    answers = [sign_in(attacker, "cadre_a", "wrong", forged=f"203.0.113.{n}") for n in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth failure locks
    assert sign_in(attacker, "cadre_a", PASSWORD, forged="203.0.113.99") == 429  # still locked, even with it
    victim = person(deployed, "127.0.0.3")
    assert sign_in(victim, "cadre_a", PASSWORD) == 302
    assert "sessionid" in victim.cookies


def test_the_public_channel_counts_each_real_client(deployed, team_a):
    flooder = person(deployed, "127.0.0.2")
    answers = [raise_concern(flooder, forged=f"198.51.100.{n}") for n in range(6)]
    assert answers == [302, 302, 302, 302, 302, 429]
    assert raise_concern(flooder) == 429
    # Ten honest people, each at their own address, each raise one: nobody shares the flooder's bucket.
    assert [raise_concern(person(deployed, f"127.0.0.{n}")) for n in range(10, 20)] == [302] * 10
    assert Concern.objects.count() == 15


def test_failed_code_look_ups_count_per_real_client(deployed, team_a):
    _concern, code = public_services.public_concern_raise(
        unit=team_a, category=category(), description="The stairs to the substation are icy."
    )
    guesser = person(deployed, "127.0.0.2")
    answers = [
        guesser.submit("/s/track/", {"code": "ZZZZ-ZZZZ-ZZZZ"}, headers={"X-Forwarded-For": f"192.0.2.{n}"}).status
        for n in range(11)
    ]
    assert answers == [200] * 10 + [429]
    owner = person(deployed, "127.0.0.3")
    assert owner.submit("/s/track/", {"code": code}).status == 302
