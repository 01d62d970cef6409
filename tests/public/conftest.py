"""A browser of the public: a client that never signed in."""

import pytest
from django.test import Client


@pytest.fixture
def anon():
    return Client()
