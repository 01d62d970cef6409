"""The client's address (fieldwork.client.client_address): the entry that the trusted proxies wrote.

Behind N trusted proxies each one appends the address it saw to X-Forwarded-For, so the Nth entry
from the right is the address the outermost trusted proxy saw; whatever a client sent in the header
stays to the left of it and never counts. With no trusted proxy the header is ignored altogether.
"""

import pytest
from django.test import RequestFactory

from fieldwork.client import client_address

NGINX = "127.0.0.1"  # REMOTE_ADDR of a request that came through the local nginx


def address(settings, count: int, forwarded: str | None, remote: str = NGINX) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    settings.TRUSTED_PROXY_COUNT = count
    return client_address(RequestFactory().get("/", **meta))


CASES = [
    # --- no trusted proxy: only the peer counts, whatever the header says
    pytest.param(0, None, "10.0.0.1", "10.0.0.1", id="0-no-header"),
    pytest.param(0, "203.0.113.7", "10.0.0.1", "10.0.0.1", id="0-forged"),
    pytest.param(0, "203.0.113.7, 198.51.100.2", "10.0.0.1", "10.0.0.1", id="0-forged-chain"),
    # --- one trusted proxy (nginx with $proxy_add_x_forwarded_for)
    pytest.param(1, "203.0.113.7", NGINX, "203.0.113.7", id="1-honest"),
    pytest.param(1, "198.51.100.1, 203.0.113.7", NGINX, "203.0.113.7", id="1-forged-one"),
    pytest.param(1, "1.1.1.1, 2.2.2.2, 3.3.3.3, 203.0.113.7", NGINX, "203.0.113.7", id="1-forged-many"),
    pytest.param(1, "not-an-address, 203.0.113.7", NGINX, "203.0.113.7", id="1-forged-garbage"),
    pytest.param(1, ",,, ,203.0.113.7", NGINX, "203.0.113.7", id="1-forged-empty-entries"),
    pytest.param(1, "  203.0.113.7  ", NGINX, "203.0.113.7", id="1-spaces"),
    pytest.param(1, "203.0.113.7:50123", NGINX, "203.0.113.7", id="1-with-port"),
    pytest.param(1, None, NGINX, NGINX, id="1-short-no-header"),
    pytest.param(1, "", NGINX, NGINX, id="1-short-empty-header"),
    pytest.param(1, "203.0.113.7, garbage", NGINX, NGINX, id="1-malformed-right-most"),
    pytest.param(1, "203.0.113.7, ", NGINX, NGINX, id="1-malformed-empty-right-most"),
    pytest.param(1, "203.0.113.7, 999.1.1.1", NGINX, NGINX, id="1-malformed-octet"),
    # --- IPv6: a client usually holds a whole /64, so it is one client
    pytest.param(1, "2001:db8:1:2::1", NGINX, "2001:db8:1:2::", id="1-ipv6"),
    pytest.param(1, "[2001:db8:1:2:ffff::9]:443", NGINX, "2001:db8:1:2::", id="1-ipv6-bracketed-port"),
    pytest.param(1, "203.0.113.9, 2001:DB8:1:2::abcd", NGINX, "2001:db8:1:2::", id="1-ipv6-forged-left"),
    pytest.param(1, "::ffff:203.0.113.7", NGINX, "203.0.113.7", id="1-ipv4-mapped"),
    pytest.param(0, None, "2001:db8:1:2::1", "2001:db8:1:2::", id="0-ipv6-peer"),
    # --- two trusted proxies (a load balancer, then nginx): the second entry from the right
    pytest.param(2, "203.0.113.7, 10.0.0.2", "10.0.0.3", "203.0.113.7", id="2-honest"),
    pytest.param(2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "10.0.0.3", "203.0.113.7", id="2-forged"),
    pytest.param(2, "6.6.6.6,203.0.113.7 ,  10.0.0.2", "10.0.0.3", "203.0.113.7", id="2-forged-odd-spacing"),
    pytest.param(2, "10.0.0.2", "10.0.0.3", "10.0.0.3", id="2-short"),
    pytest.param(2, "garbage, 10.0.0.2", "10.0.0.3", "10.0.0.3", id="2-malformed"),
    pytest.param(2, "2001:db8::7, 10.0.0.2", "10.0.0.3", "2001:db8::", id="2-ipv6"),
]


@pytest.mark.parametrize(("count", "forwarded", "remote", "expected"), CASES)
def test_the_address_is_the_one_the_trusted_proxies_saw(settings, count, forwarded, remote, expected):
    assert address(settings, count, forwarded, remote) == expected


@pytest.mark.parametrize("count", [1, 2])
def test_a_forged_entry_never_moves_the_address(settings, count):
    honest = ", ".join(["203.0.113.7"] + ["10.0.0.2"] * (count - 1))
    assert address(settings, count, honest) == "203.0.113.7"
    for forged in ("198.51.100.1", "198.51.100.1, 198.51.100.2", "unknown", "[::1]", "203.0.113.8"):
        assert address(settings, count, f"{forged}, {honest}") == "203.0.113.7"


def test_no_address_at_all_is_none(settings):
    """A request with no peer address (a Unix socket with no proxy): None, which django-axes stores as
    no address and the rate limits count as one shared bucket."""
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_address(request) is None


def test_django_axes_asks_the_same_function(settings):
    """Sign-in protection counts the very address the rate limits count."""
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(request) == client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert get_client_ip_address(request) == client_address(request) == NGINX


def test_sign_in_protection_counts_an_ipv6_client_per_64(client, settings, cadre_a):
    """django-axes stores what the function gives (the first address of the /64 for IPv6) and locks the whole /64:
    stepping to the next address of one's own network does not dodge the lock."""
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for host in range(1, 4):
        client.post(
            "/accounts/login/", {"username": "cadre_a", "password": "wrong"}, REMOTE_ADDR=f"2001:db8:1:2::{host}"
        )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["2001:db8:1:2::"]
    signed_in = {"username": "cadre_a", "password": "pass-for-tests-1"}
    assert client.post("/accounts/login/", signed_in, REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert client.post("/accounts/login/", signed_in, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302
