"""Production settings pass check --deploy, refuse to start without a secret key, and need the CSP middleware."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.checks import run_checks

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 60 + "-production-like-secret-for-the-check",
    "FIELDWORK_RECEIPT_KEY": "r" * 60 + "-production-like-receipt-key",
    "FIELDWORK_NOTE_KEYS": "l0wq2W4yW0oqS5oJmJSSoC2_MDmHRl0cAZTqZ1YOCrU=",  # a Fernet key of the test's own
    "ALLOWED_HOSTS": "fieldwork.example.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
            **(env or {}),
        },
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_fails_without_the_csp_middleware(settings):
    csp = ("csp.middleware.CSPMiddleware", "fieldwork.middleware.CSPMiddleware")
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in csp]
    assert "fieldwork.E001" in [message.id for message in run_checks()]
