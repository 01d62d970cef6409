"""The settings of scripts/bench_dashboard_load.sh: the production settings with the benchmark's
URLconf (scripts/bench_string_urls.py) and sessions in signed cookies, so nothing is written."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_string_urls"
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
