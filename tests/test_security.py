"""Trusted with people's data: deploy checks, headers, CSP, sign-in protection, session lifetimes,
runaway queries."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.db import OperationalError, connection
from django.urls import reverse

from fieldwork.checks import statement_timeout_errors
from fieldwork.middleware import SESSION_SEEN, SESSION_STARTED, QueryTimeoutMiddleware
from tests.factories import MembershipFactory, UserFactory

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 60 + "-production-like-secret-for-the-check",
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
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "csp.middleware.CSPMiddleware"]
    assert "fieldwork.E001" in [message.id for message in run_checks()]


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


# --- sign-in protection --------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings, db):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.models import AccessAttempt

    yield
    AccessAttempt.objects.all().delete()


def sign_in(client, username, password, address="10.1.1.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_lockout_on_user_and_address(client, axes_on, cadre_a):
    assert sign_in(client, "cadre_a", "wrong").status_code == 200
    assert sign_in(client, "cadre_a", "wrong").status_code == 200
    assert sign_in(client, "cadre_a", "wrong").status_code == 429  # the third failure locks
    locked = sign_in(client, "cadre_a", "pass-for-tests-1")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_colleague_behind_the_same_address_still_signs_in(client, axes_on, cadre_a):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague)
    for _ in range(3):
        sign_in(client, "cadre_a", "wrong")
    response = sign_in(client, "colleague", "pass-for-tests-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_same_user_from_another_address_is_not_locked(client, axes_on, cadre_a):
    for _ in range(3):
        sign_in(client, "cadre_a", "wrong", address="10.1.1.1")
    assert sign_in(client, "cadre_a", "pass-for-tests-1", address="10.9.9.9").status_code == 302


def test_a_forged_forwarding_header_does_not_dodge_the_lock(client, axes_on, cadre_a):
    for attempt in range(3):
        sign_in(client, "cadre_a", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert sign_in(client, "cadre_a", "pass-for-tests-1", HTTP_X_FORWARDED_FOR="203.0.113.77").status_code == 429


def test_lock_lifts_after_the_cool_off(client, axes_on, cadre_a):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(3):
        sign_in(client, "cadre_a", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert sign_in(client, "cadre_a", "pass-for-tests-1").status_code == 302


# --- sessions -------------------------------------------------------------------------------------


def test_sign_in_gives_a_new_session_key(client, cadre_a):
    client.get(reverse("login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen"
    sign_in(client, "cadre_a", "pass-for-tests-1")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attacker-chosen"


@pytest.mark.parametrize(
    ("started_ago", "seen_ago", "signed_in"),
    [(3600, 30, True), (3600, 2 * 3600, False), (13 * 3600, 30, False)],
)
def test_idle_and_absolute_session_lifetimes(client_for, cadre_a, started_ago, seen_ago, signed_in):
    client = client_for(cadre_a)
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()
    response = client.get(reverse("fieldwork:visit-list"))
    assert (response.status_code == 200) is signed_in


def test_a_deactivated_user_is_signed_out(client_for, cadre_a):
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:visit-list")).status_code == 200
    cadre_a.is_active = False
    cadre_a.save()
    assert client.get(reverse("fieldwork:visit-list")).status_code == 302
