"""Run manage.py as its own process against a database of the test run, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def database_url(name: str | None = None) -> str:
    """The URL of the test database (or of another database `name` on the same server)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name or params['NAME']}"
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name or params['NAME']}"


def command_env(url: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "FIELDWORK_WEB"}
    return {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}


def manage(*args: str, url: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=command_env(url, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage_in_background(*args: str, url: str, **extra_env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=command_env(url, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def digest(url: str, code: str) -> dict[str, list]:
    """tests/operations/digest.py run against the database at `url`."""
    import json

    result = subprocess.run(
        [sys.executable, "-m", "tests.operations.digest", code],
        cwd=settings.BASE_DIR,
        env=command_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
