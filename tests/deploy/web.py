"""A plain HTTP(S) client for the deployment tests: one person at one loopback address.

No browser and no test client: real connections, bound to the address given (127.0.0.2, 127.0.0.3, …
are all this machine on Linux), so nginx and the app see distinct peers. It keeps its cookies and
sends forms back with their hidden fields (CSRF token, form keys), as a browser would.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


class _HiddenFields(HTMLParser):
    """The hidden inputs of the page's POST forms, by name (the last one wins)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self._in_post_form = (values.get("method") or "").lower() == "post"
        elif tag == "input" and self._in_post_form and values.get("type") == "hidden" and values.get("name"):
            self.fields[values["name"]] = values.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False


def hidden_fields(html: str) -> dict[str, str]:
    parser = _HiddenFields()
    parser.feed(html)
    return parser.fields


class Person:
    """Someone at `source` (a loopback address) who talks to `host:port`, over TLS when `tls`."""

    def __init__(self, port: int, *, source: str = "127.0.0.1", host: str = "127.0.0.1", tls: bool = True):
        self.port, self.source, self.host, self.tls = port, source, host, tls
        self.cookies: dict[str, str] = {}

    def _connection(self) -> http.client.HTTPConnection:
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
            return http.client.HTTPSConnection(
                self.host, self.port, source_address=(self.source, 0), timeout=60, context=context
            )
        return http.client.HTTPConnection(self.host, self.port, source_address=(self.source, 0), timeout=60)

    def request(self, method: str, path: str, *, form: dict | None = None, headers: dict | None = None) -> Response:
        connection = self._connection()
        sent = {"Host": "localhost", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(raw.status, raw.headers, text)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def submit(self, path: str, fields: dict, *, headers: dict | None = None) -> Response:
        """Open the page at `path` and send its form with `fields` (and its hidden fields)."""
        page = self.get(path, headers=headers)
        assert page.status == 200, f"GET {path} answered {page.status}"
        return self.request("POST", path, form={**hidden_fields(page.text), **fields}, headers=headers)
