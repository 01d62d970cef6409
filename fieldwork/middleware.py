"""Cross-cutting protections: the Content Security Policy, session lifetimes, no caching of signed-in
pages, a friendly 503 when the database gives up on a runaway query, HEAD answered without doing anything."""

from __future__ import annotations

import logging
import time

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.contrib.auth import logout
from django.db import OperationalError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

logger = logging.getLogger(__name__)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware (settings.CONTENT_SECURITY_POLICY), with the admin's own exception
    (settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE) added under the admin's address only."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), **settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE}
        return parts


SESSION_STARTED = "fieldwork_started"
SESSION_SEEN = "fieldwork_seen"


class SessionLifetimeMiddleware:
    """Sign a user out after SESSION_IDLE_SECONDS without a request, or SESSION_ABSOLUTE_SECONDS after
    sign-in, whichever comes first. (Django itself ends the session of a deactivated user.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
            elif now - seen >= 60:  # write the session at most once a minute
                request.session[SESSION_SEEN] = now
            else:
                request.session.setdefault(SESSION_SEEN, now)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages shown to a signed-in user may hold people's names and contacts: no cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response


class HeadMiddleware:
    """HEAD is answered as GET is (same status and headers; views allow it with require_safe), but
    without a body and without keeping anything: uptime monitors and link checkers probe with it.

    A streamed body (an export) is dropped unread, so its work is never done: gunicorn reads a body
    through even for HEAD. The session is not saved, so what a page shows once (a receipt code) is
    still there for the person. Sits inside SessionMiddleware and outside CommonMiddleware, so the
    Content-Length of the GET is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        session = getattr(request, "session", None)
        if session is not None:
            session.modified = False
        if response.streaming:
            response.streaming_content = []  # the unread generator is closed with the response
        else:
            response.content = b""
        return response


class QueryTimeoutMiddleware:
    """A query stopped by PostgreSQL's statement_timeout becomes a 503 page asking to retry,
    rather than a hung worker or a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and _is_query_canceled(exception):
            logger.warning("query cancelled by statement_timeout on %s", request.path)
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response
        return None


def _is_query_canceled(exception: OperationalError) -> bool:
    cause = exception.__cause__
    return getattr(cause, "sqlstate", None) == "57014" or "canceling statement due to statement timeout" in str(
        exception
    )
