"""A 2027 notice as a file, and a signed-in administrator."""

import pytest
from django.contrib.auth import get_user_model

from tests.calendar.helpers import NOTICE_2027


@pytest.fixture
def notice_file(tmp_path):
    path = tmp_path / "notice-2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    return path


@pytest.fixture
def keeper(client):
    admin = get_user_model().objects.create_superuser("keeper", "keeper@example.com", "pass-for-tests-1")
    client.force_login(admin)
    return client
