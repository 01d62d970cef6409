"""Project system checks: refuse to run without the protections the app relies on."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_csp_middleware(app_configs, **kwargs):
    if not {"csp.middleware.CSPMiddleware", "fieldwork.middleware.CSPMiddleware"} & set(settings.MIDDLEWARE):
        return [
            Error(
                "The Content Security Policy middleware is missing.",
                hint="Add 'fieldwork.middleware.CSPMiddleware' to MIDDLEWARE: it guards against injected scripts.",
                id="fieldwork.E001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def check_statement_timeout(app_configs, **kwargs):
    return statement_timeout_errors(
        engine=settings.DATABASES["default"]["ENGINE"],
        timeout_ms=getattr(settings, "STATEMENT_TIMEOUT_MS", 0),
        gunicorn_timeout_seconds=settings.GUNICORN_TIMEOUT_SECONDS,
    )


def statement_timeout_errors(*, engine: str, timeout_ms: int, gunicorn_timeout_seconds: int) -> list[Error]:
    """On PostgreSQL a runaway query must be stopped before gunicorn kills the worker."""
    if engine != "django.db.backends.postgresql":
        return []
    if not timeout_ms or timeout_ms <= 0:
        return [
            Error(
                "The database has no statement timeout.",
                hint="Set DB_STATEMENT_TIMEOUT_MS (milliseconds) below gunicorn's timeout.",
                id="fieldwork.E002",
            )
        ]
    if timeout_ms >= gunicorn_timeout_seconds * 1000:
        return [
            Error(
                "The database statement timeout is not below gunicorn's timeout.",
                hint="Lower DB_STATEMENT_TIMEOUT_MS or raise GUNICORN_TIMEOUT.",
                id="fieldwork.E003",
            )
        ]
    return []


@register(Tags.security)
def check_note_keys(app_configs, **kwargs):
    """Confidential notes cannot be written or read without keys; a bad key would fail on first use."""
    from .talks import key_errors

    return [
        Error(
            message,
            hint="Set FIELDWORK_NOTE_KEYS to one or more Fernet keys, newest first, separated by commas "
            '(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())").',
            id="fieldwork.E030",
        )
        for message in key_errors(getattr(settings, "FIELDWORK_NOTE_KEYS", ()))
    ]


@register(Tags.security, deploy=True)
def check_note_keys_not_dev(app_configs, **kwargs):
    from .talks import DEV_NOTE_KEY

    if DEV_NOTE_KEY in (getattr(settings, "FIELDWORK_NOTE_KEYS", ()) or ()):
        return [
            Error(
                "FIELDWORK_NOTE_KEYS holds the development key, which anyone with the source can use.",
                hint="Generate a key of your own, put it first, run reencrypt_notes, then drop the development key.",
                id="fieldwork.E031",
            )
        ]
    return []
