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
