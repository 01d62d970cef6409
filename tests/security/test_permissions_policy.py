"""Issue 15 item 8: a Permissions-Policy header on every response, the powerful features off."""

from __future__ import annotations

import pytest

from .urlconf import endpoints, url_of
from .wsgi import wsgi_request

OFF = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture", "interest-cohort"]


def features(header: str | None) -> dict[str, str]:
    assert header, "no Permissions-Policy header"
    return dict(part.strip().split("=", 1) for part in header.split(","))


def assert_policy(answer) -> None:
    policy = features(answer.header("Permissions-Policy"))
    for feature in OFF:
        assert policy.get(feature) == "()", (feature, policy)


def test_every_url_sends_the_policy(world, fill):
    for endpoint in endpoints():
        url = url_of(endpoint, fill)
        for method in ("GET", "POST"):
            answer = wsgi_request(method, url)
            assert "Permissions-Policy" in dict(answer.headers), (method, url)
            assert_policy(answer)


@pytest.mark.parametrize("path", ["/no-such-page/", "/static/fieldwork/app.css", "/static/missing.css"])
def test_errors_and_static_files_send_it_too(db, path):
    assert_policy(wsgi_request("GET", path))
