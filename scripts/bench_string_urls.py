"""The URLconf of scripts/bench_dashboard_load.sh only (never the app's): the app's own URLs plus
`/bench/string/`, which returns the HTML saved in BENCH_HTML_FILE from a string, behind the same
middleware. It is what serving the dashboard's HTML costs without building it."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

HTML = Path(os.environ["BENCH_HTML_FILE"]).read_bytes()


def html_from_string(request):
    """The saved dashboard HTML, as it is."""
    return HttpResponse(HTML, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/string/", html_from_string), *app_urlpatterns]
