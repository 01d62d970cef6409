"""Signing in from an address, as the lockout and session tests do."""

from django.urls import reverse


def sign_in(client, username, password, address="10.1.1.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)
