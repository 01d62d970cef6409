"""Web connections get a statement timeout below gunicorn's, checked at deploy; a cancelled query is a
friendly 503."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.db import OperationalError, connection

from fieldwork.checks import statement_timeout_errors
from fieldwork.middleware import QueryTimeoutMiddleware


@pytest.mark.parametrize(
    ("engine", "timeout_ms", "error"),
    [
        ("django.db.backends.postgresql", 0, "fieldwork.E002"),
        ("django.db.backends.postgresql", 60_000, "fieldwork.E003"),
        ("django.db.backends.postgresql", 20_000, None),
        ("django.db.backends.sqlite3", 0, None),
    ],
)
def test_deploy_check_wants_a_statement_timeout_below_gunicorns(engine, timeout_ms, error):
    errors = statement_timeout_errors(engine=engine, timeout_ms=timeout_ms, gunicorn_timeout_seconds=30)
    assert [e.id for e in errors] == ([error] if error else [])


def test_statement_timeout_check_is_a_deploy_check():
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "fieldwork.E002" not in ids  # the test settings have a timeout configured


def test_web_connections_get_the_statement_timeout():
    """config/wsgi.py marks the process as a web worker; settings then pass statement_timeout to PostgreSQL."""
    code = (
        "import os; os.environ['FIELDWORK_WEB']='1'; import config.settings as s; "
        "print(s.DATABASES['default']['OPTIONS']['options'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
            "DB_STATEMENT_TIMEOUT_MS": "15000",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.startswith("-c statement_timeout=15000 "), result.stderr


@pytest.mark.django_db
def test_a_cancelled_query_becomes_a_friendly_503(rf):
    if connection.vendor == "postgresql":
        with pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")
        error = caught.value
    else:  # SQLite has no statement timeout; the PostgreSQL error text stands in for it
        error = OperationalError("canceling statement due to statement timeout")
    request = rf.get("/concerns/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = {}
    response = QueryTimeoutMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "took too long" in response.content.decode()
    other = QueryTimeoutMiddleware(lambda r: None).process_exception(request, OperationalError("disk I/O error"))
    assert other is None
