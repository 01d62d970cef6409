import pytest
from django.test import Client


@pytest.fixture
def anon():
    return Client()
