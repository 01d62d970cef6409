"""Fieldwork settings: one file, every value from the environment, safe defaults for development.

In production (DJANGO_DEBUG=0) the app refuses to start without DJANGO_SECRET_KEY.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

# Receipt codes of the public channel are stored as an HMAC with a key of their own (fieldwork.public),
# so that SECRET_KEY can rotate without voiding every code. During a rotation the retired keys, listed
# in FIELDWORK_RECEIPT_KEYS_OLD, still open codes; each is hashed with the current key on its next use.
FIELDWORK_RECEIPT_KEY = env_str("FIELDWORK_RECEIPT_KEY")
if not FIELDWORK_RECEIPT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("FIELDWORK_RECEIPT_KEY must be set when DJANGO_DEBUG is off.")
    FIELDWORK_RECEIPT_KEY = "dev-only-receipt-key-do-not-use-in-production"
FIELDWORK_RECEIPT_KEYS_OLD = env_list("FIELDWORK_RECEIPT_KEYS_OLD", "")

# Confidential notes of heart-to-heart talks (fieldwork.talks): Fernet keys, newest first, "new,old,...".
# Without them the app runs only with DEBUG on, on a fixed development key (system check fieldwork.E030).
FIELDWORK_NOTE_KEYS = env_list("FIELDWORK_NOTE_KEYS", "")
if not FIELDWORK_NOTE_KEYS and DEBUG:
    FIELDWORK_NOTE_KEYS = ["ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM="]  # fieldwork.talks.DEV_NOTE_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "fieldwork",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "fieldwork.middleware.CSPMiddleware",  # django-csp's, with the admin's one exception below
    "fieldwork.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fieldwork.middleware.HeadMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "fieldwork.middleware.SessionLifetimeMiddleware",
    "fieldwork.middleware.QueryTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fieldwork.context_processors.calendar_warning",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests on SQLite use a file, not memory: the browser tests' live server reads it from its own
    # threads. One file per test process, so parallel runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"fieldwork-test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Web workers stop a runaway query before gunicorn's timeout kills the worker (config/wsgi.py sets
# FIELDWORK_WEB=1). Management commands get a limit of their own, far longer: the longest single
# statement of any command (seed_demo's COPY of ten million events at 1M visits) takes about a minute.
GUNICORN_TIMEOUT_SECONDS = env_int("GUNICORN_TIMEOUT", 30)
STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 20_000)
COMMAND_STATEMENT_TIMEOUT_MS = env_int("DB_COMMAND_STATEMENT_TIMEOUT_MS", 600_000)
# PostgreSQL checks this often whether the client of a running query is still there, and stops the
# query when it is not: a killed worker or command leaves nothing running on the server.
CLIENT_CHECK_INTERVAL_MS = env_int("DB_CLIENT_CHECK_INTERVAL_MS", 2_000)
# PostgreSQL's JIT compiles a query it reckons costly before running it: 50-70 ms spent on queries
# that then read a few hundred rows (the dashboard's, the lists' counts). Off unless DB_JIT=1.
DB_JIT = env_bool("DB_JIT", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _timeout_ms = STATEMENT_TIMEOUT_MS if env_bool("FIELDWORK_WEB", False) else COMMAND_STATEMENT_TIMEOUT_MS
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={_timeout_ms} -c client_connection_check_interval={CLIENT_CHECK_INTERVAL_MS}"
        + ("" if DB_JIT else " -c jit=off")
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "fieldwork:home"  # My work, or the dashboard a leader chose (views.core.home)
LOGOUT_REDIRECT_URL = "login"

# Client addresses: behind N trusted proxies (nginx = 1), the address is the Nth from the right of
# X-Forwarded-For; with none, the header is ignored, so a client cannot forge its address.
# fieldwork.client.client_address reads it, for sign-in protection and every rate limit alike.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sign-in protection (django-axes): lock a user at one address, not the whole address (a unit
# behind one NAT), unlock after a cool-off, and take the address from the one function above.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# The lock lifts after a quarter of an hour (the figure templates/registration/locked_out.html states).
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "fieldwork.client.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day first ("15 Dec 2026", config/formats/en); Chinese keeps Django's own (2026年12月15日).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Photos (fieldwork/services/photos.py): a private folder that nothing serves; only the scoped views
    # hand them out. FIELDWORK_PHOTOS_BACKEND=storages.backends.s3.S3Storage puts them in an S3-compatible
    # store instead (README, "In production"; django-storages reads its AWS_* settings below).
    "photos": {
        "BACKEND": env_str("FIELDWORK_PHOTOS_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": (
            {"location": str(MEDIA_ROOT / "photos"), "base_url": "/photos-are-not-public/"}
            if not env_str("FIELDWORK_PHOTOS_BACKEND")
            else {}
        ),
    },
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def _email_settings(url: str) -> dict:
    """EMAIL_URL: smtp://user:password@host:port (smtp+tls:// for STARTTLS), console:// or memory://."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported.")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or 25,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }


globals().update(_email_settings(env_str("EMAIL_URL")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "fieldwork@localhost")

# Production hardening, configurable for a deployment behind nginx.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after an idle spell or a working day, whichever comes first (fieldwork.middleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

# Content Security Policy: our own origin only; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its form controls with data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The admin's one exception (fieldwork.middleware.CSPMiddleware, under /admin/ only): django-simple-history's
# history list writes style="border-top: 0" on its paginator. Its hash allows that one attribute value,
# nothing else: no other inline style, no inline script.
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
}

# Permissions-Policy (django-permissions-policy): every powerful browser feature off for our pages
# and anything they embed. A photo taken for an upload needs none of them: <input type="file"
# accept="image/*" capture> hands the picture over from the phone's own camera app. Only a live
# camera preview in the page (getUserMedia) would need "camera": [SELF].
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Contact points (联系点, fieldwork/contact_points.py): a cadre should visit the grassroots unit they
# answer for at least once in this many days, unless the leader who assigns it sets another interval.
FIELDWORK_CONTACT_INTERVAL_DAYS = env_int("FIELDWORK_CONTACT_INTERVAL_DAYS", 30)

# The product's own knobs.
FIELDWORK = {
    # Default due date by priority, in working days after the day the concern is raised
    # (fieldwork.workdays: the weekdays below plus the calendar of holidays and make-up days).
    "DUE_DAYS": {
        "urgent": env_int("FIELDWORK_DUE_DAYS_URGENT", 7),
        "normal": env_int("FIELDWORK_DUE_DAYS_NORMAL", 30),
        "long_term": env_int("FIELDWORK_DUE_DAYS_LONG_TERM", 90),
    },
    # A concern is "responded to" when taken up within this many working days.
    "RESPONSE_LIMIT_DAYS": env_int("FIELDWORK_RESPONSE_LIMIT_DAYS", 2),
    # A rate resting on fewer cases reads "too few to compare".
    "MIN_CASES": env_int("FIELDWORK_MIN_CASES", 5),
    # A rendered dashboard is kept in each server process's cache (Django's default local-memory
    # cache, 300 entries) for at most this long; any change it counts makes a new one at once.
    "DASHBOARD_CACHE_SECONDS": env_int("FIELDWORK_DASHBOARD_CACHE_SECONDS", 600),
    "PAGE_SIZE": env_int("FIELDWORK_PAGE_SIZE", 25),
    # A visit dated more than this many days before it is saved (the phone's save time for one saved
    # offline) asks its author to confirm with a reason and is marked back-dated; one dated more than
    # VISIT_OLDEST_DAYS back is refused. More people reached than the unit's headcount, or without one
    # than VISIT_PEOPLE_CEILING, asks to confirm with a reason too (services.visits.visit_checks).
    "VISIT_BACKDATE_DAYS": env_int("FIELDWORK_VISIT_BACKDATE_DAYS", 7),
    "VISIT_OLDEST_DAYS": env_int("FIELDWORK_VISIT_OLDEST_DAYS", 366),
    "VISIT_PEOPLE_CEILING": env_int("FIELDWORK_VISIT_PEOPLE_CEILING", 300),
    "PUBLIC_BASE_URL": env_str("FIELDWORK_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # The weekdays that are working days unless the calendar (admin: calendar days) says otherwise;
    # Monday is 0. The calendar holds the public holidays and the weekend days worked instead (调休).
    "WORKING_WEEKDAYS": tuple(int(day) for day in env_list("FIELDWORK_WORKING_WEEKDAYS", "0,1,2,3,4")),
    # The chasing ladder (manage.py send_reminders), in working days: remind the owner this many
    # working days before the due date; chase (催办) on the first working day after it; supervision
    # (督办) by the unit's leaders this many working days after the chase; a notice (通报) to the
    # leaders one level up this many working days after supervision.
    "REMIND_BEFORE_WORKING_DAYS": env_int("FIELDWORK_REMIND_BEFORE_WORKING_DAYS", 2),
    "SUPERVISE_AFTER_WORKING_DAYS": env_int("FIELDWORK_SUPERVISE_AFTER_WORKING_DAYS", 3),
    "NOTICE_AFTER_WORKING_DAYS": env_int("FIELDWORK_NOTICE_AFTER_WORKING_DAYS", 6),
    # The callback (回访): due this many working days after the resolution; a late one climbs its own
    # ladder (fieldwork/callback_ladder.py): a reminder on the deadline, a chase (催办) on the first working
    # day after it, then the leaders one level up this many working days after the chase.
    "CALLBACK_LIMIT_DAYS": env_int("FIELDWORK_CALLBACK_LIMIT_DAYS", 3),
    "CALLBACK_ESCALATE_AFTER_WORKING_DAYS": env_int("FIELDWORK_CALLBACK_ESCALATE_AFTER_WORKING_DAYS", 2),
    # A call that reaches nobody is an attempt, not a callback; after this many attempts on different
    # days a leader may close the concern as unreachable (services.callbacks.concern_close_unreachable).
    "CALLBACK_ATTEMPTS": env_int("FIELDWORK_CALLBACK_ATTEMPTS", 3),
    # A concern raised through the public channel asks its person on the tracking page. If they have not
    # answered within this many working days after the resolution and left a contact, it joins the
    # callback queue (its deadline counted from then); if they left none, it closes as no answer this
    # many working days after the resolution (the daily reminders run, services.callbacks).
    "PUBLIC_ANSWER_DAYS": env_int("FIELDWORK_PUBLIC_ANSWER_DAYS", 3),
    "PUBLIC_NO_ANSWER_DAYS": env_int("FIELDWORK_PUBLIC_NO_ANSWER_DAYS", 10),
    # The workers (manage.py run_worker) enqueue the day's reminders once a day from this local time
    # (HH:MM) on; fieldwork/tasks.py.
    "REMINDERS_AT": env_str("FIELDWORK_REMINDERS_AT", "07:30"),
    # ... and again this many minutes after a run of the day that failed (the mail server was down).
    "REMINDERS_RETRY_MINUTES": env_int("FIELDWORK_REMINDERS_RETRY_MINUTES", 30),
    # Exports and ledgers of more rows than this are prepared in the background by the task queue
    # (fieldwork/exports/jobs.py), kept in the default storage this many days, then deleted by the
    # daily clean-up, which runs from EXPORTS_EXPIRE_AT.
    "EXPORT_IMMEDIATE_ROWS": env_int("FIELDWORK_EXPORT_IMMEDIATE_ROWS", 3000),
    "EXPORT_KEEP_DAYS": env_int("FIELDWORK_EXPORT_KEEP_DAYS", 7),
    "EXPORTS_EXPIRE_AT": env_str("FIELDWORK_EXPORTS_EXPIRE_AT", "03:00"),
    # Group robots (fieldwork/webhooks.py): the only hosts a unit's webhook may point at, as "host" or
    # "host:port" (HTTPS); an entry written "http://host:port" allows plain HTTP to that one address
    # (a local test server). Anything else is refused in the admin and again when sending.
    "WEBHOOK_HOSTS": tuple(env_list("FIELDWORK_WEBHOOK_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com")),
    # Each message is tried this many times at most, waiting RETRY_SECONDS, then twice as long each time,
    # between tries; a try gives up after TIMEOUT_SECONDS.
    "WEBHOOK_ATTEMPTS": env_int("FIELDWORK_WEBHOOK_ATTEMPTS", 5),
    "WEBHOOK_RETRY_SECONDS": env_int("FIELDWORK_WEBHOOK_RETRY_SECONDS", 60),
    "WEBHOOK_TIMEOUT_SECONDS": env_int("FIELDWORK_WEBHOOK_TIMEOUT_SECONDS", 5),
}

# The task queue (fieldwork/tasks.py): Django's tasks API through django-tasks, its queue kept in the
# database by django-tasks-db, on SQLite as on PostgreSQL. `manage.py run_worker` runs the tasks.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}


# Photos as evidence (fieldwork/services/photos.py). Each photo is checked with Pillow: JPEG, PNG or WebP
# only, at most PHOTO_MAX_BYTES as sent and PHOTO_MAX_PIXELS decoded (decompression bombs), at most
# PHOTO_MAX_COUNT per visit, action or concern stage; stored re-encoded as JPEG with its longest side at
# most PHOTO_MAX_SIDE pixels and no EXIF, beside a thumbnail of PHOTO_THUMBNAIL_SIDE.
FIELDWORK_PHOTO_MAX_BYTES = env_int("FIELDWORK_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
FIELDWORK_PHOTO_MAX_COUNT = env_int("FIELDWORK_PHOTO_MAX_COUNT", 6)
FIELDWORK_PHOTO_MAX_PIXELS = env_int("FIELDWORK_PHOTO_MAX_PIXELS", 64_000_000)
FIELDWORK_PHOTO_MAX_SIDE = env_int("FIELDWORK_PHOTO_MAX_SIDE", 2048)
FIELDWORK_PHOTO_THUMBNAIL_SIDE = env_int("FIELDWORK_PHOTO_THUMBNAIL_SIDE", 320)
# Production behind nginx: the photo views answer with X-Accel-Redirect to nginx's internal location
# /_photos/ (deploy/nginx.conf), which reads the file from the photo storage's folder itself.
FIELDWORK_PHOTOS_ACCEL = env_bool("FIELDWORK_PHOTOS_ACCEL", False)
FIELDWORK_PHOTOS_ACCEL_PREFIX = env_str("FIELDWORK_PHOTOS_ACCEL_PREFIX", "/_photos/")
# django-storages' S3 backend, when FIELDWORK_PHOTOS_BACKEND names it (not installed by default):
# private objects; the scoped photo views read them from the store and pass them on (no public URL).
if env_str("FIELDWORK_PHOTOS_BACKEND"):
    AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None  # MinIO, OSS, COS, OBS ...
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
    AWS_LOCATION = env_str("AWS_LOCATION", "photos")
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
