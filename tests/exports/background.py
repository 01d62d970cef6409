"""What the tests of files prepared in the background share: asking for one as the page's form does,
and running the queue's worker over it."""

import re

import pytest

from fieldwork import submissions
from fieldwork.models import Export
from tests.tasks.worker import work_off


@pytest.fixture
def storage(settings, tmp_path):
    """The default storage in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_limit(settings):
    """Two rows are already "large": more are prepared in the background."""
    settings.FIELDWORK = {**settings.FIELDWORK, "EXPORT_IMMEDIATE_ROWS": 2}


def token(user) -> str:
    return submissions.submission_key_new("export", user)


def ask(client, url: str, kind: str, user, key: str | None = None):
    """POST the page's prepare form; returns the response (a redirect to the file's page)."""
    return client.post(url, {"kind": kind, submissions.FIELD: key or token(user)})


def asked(response) -> Export:
    match = re.search(r"/exports/(\d+)/", response["Location"])
    assert match, response["Location"]
    return Export.objects.get(pk=match[1])


def status(client, url: str) -> int:
    """The status of a GET, its body read through: the test client then closes a download's file."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def body(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def made(export: Export) -> Export:
    """Run the worker until the queue is empty; the export as it is then."""
    work_off()
    export.refresh_from_db()
    return export
