"""Helpers for the forms' tests: the submission key a page renders, the visit form's POST body."""

import re

import pytest

from fieldwork.models import Membership
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import MembershipFactory, UserFactory, category

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def form_token(html: str, action: str | None = None) -> str:
    """The submission key of the form posting to `action` (or of the page's only keyed form)."""
    if action is not None:
        match = re.search(r'<form[^>]*action="' + re.escape(action) + r'".*?</form>', html, re.S)
        assert match, f"no form posting to {action}"
        html = match.group(0)
    found = TOKEN.findall(html)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def colleague(team_a):
    """A second cadre of team_a: records a callback on cadre_a's concern (the owner may not)."""
    user = UserFactory(username="colleague_a", first_name="明", last_name="赵")
    MembershipFactory(user=user, unit=team_a, role=Membership.Role.CADRE)
    return user


@pytest.fixture
def open_concern(team_a, cadre_a):
    return concern_services.concern_create(
        unit=team_a,
        data=ConcernInput(title="Switch room lights flicker", category=category(), description="Every night."),
        by=cadre_a,
        owner=cadre_a,
    )


# --- several requests at once against the live server, each its own connection ---------------------


class Browser:
    """A bare HTTP client of the live server (http.client): its own socket per request, so the server
    serves parallel requests in parallel threads, each with its own database connection."""

    def __init__(self, live_server, cookies: dict[str, str] | None = None):
        from urllib.parse import urlsplit

        parts = urlsplit(live_server.url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, body: dict | None = None):
        import http.client
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def form(self, path: str, action: str | None = None) -> dict:
        """GET a page: the CSRF token and the submission key its form carries."""
        status, _headers, html = self.request("GET", path)
        assert status == 200, html[:500]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return {"csrfmiddlewaretoken": csrf, "form_token": form_token(html, action)}


def at_once(count: int, send) -> list:
    """Call send() from `count` threads released together; their answers, in any order."""
    import threading

    barrier = threading.Barrier(count)
    answers: list = []
    errors: list = []

    def run():
        try:
            barrier.wait(timeout=30)
            answers.append(send())
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(answers) == count
    return answers


def signed_in_browser(live_server, user) -> Browser:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return Browser(live_server, {"sessionid": client.cookies["sessionid"].value})
