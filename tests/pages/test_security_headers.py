"""Every response carries the security headers; signed-in pages are not cached; no inline script or style."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/healthz"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(client_for, cadre_a):
    response = client_for(cadre_a).get(reverse("fieldwork:visit-list"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_pages_have_no_inline_script_or_style(client_for, cadre_a):
    html = client_for(cadre_a).get(reverse("fieldwork:visit-create")).content.decode()
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")
    assert " style=" not in html and "<style" not in html
