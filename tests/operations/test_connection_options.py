"""Every PostgreSQL connection of the app asks the server to watch for a vanished client, and carries a
statement timeout: the web's for web workers, a longer one for management commands."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def connection_options(**env: str) -> str:
    code = "import config.settings as s; print(s.DATABASES['default']['OPTIONS']['options'])"
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("FIELDWORK_WEB", "DB_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**clean, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "-c statement_timeout=600000 -c client_connection_check_interval=2000 -c jit=off"),
        ({"FIELDWORK_WEB": "1"}, "-c statement_timeout=20000 -c client_connection_check_interval=2000 -c jit=off"),
        (
            {"DB_COMMAND_STATEMENT_TIMEOUT_MS": "900000", "DB_CLIENT_CHECK_INTERVAL_MS": "5000", "DB_JIT": "1"},
            "-c statement_timeout=900000 -c client_connection_check_interval=5000",
        ),
    ],
    ids=["command", "web", "configured"],
)
def test_connections_carry_a_timeout_and_the_client_check(env, expected):
    assert connection_options(**env) == expected
