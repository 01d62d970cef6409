"""Bootstrap's stylesheet holds the rules the project's classes need (scripts/bootstrap_css.py), and
pages link it instead of the whole one (issue 19: 31 KB compressed, blocking the first paint)."""

import gzip
import importlib.util
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
spec = importlib.util.spec_from_file_location("bootstrap_css", ROOT / "scripts" / "bootstrap_css.py")
bootstrap_css = importlib.util.module_from_spec(spec)
sys.modules["bootstrap_css"] = bootstrap_css
spec.loader.exec_module(bootstrap_css)


def test_the_trimmed_stylesheet_is_what_the_sources_give():
    """A template that takes a Bootstrap class no file used before fails here until the script is run."""
    assert bootstrap_css.TRIMMED.read_text() == bootstrap_css.trimmed(), "run .venv/bin/python scripts/bootstrap_css.py"


def test_pages_link_the_trimmed_stylesheet():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "bootstrap-5.3.9/bootstrap.trimmed.min.css" in base
    assert "bootstrap.min.css" not in base
    size = len(gzip.compress(bootstrap_css.TRIMMED.read_bytes(), 9))
    assert size < 16_000  # the whole one: 31 KB


def test_a_rule_is_kept_when_a_selector_of_it_is_in_use():
    css = (
        ".btn{a:1}.card,.carousel{b:2}.carousel{c:3}.alert-danger{d:4}.x:not(.unused){e:5}"
        "@media (min-width:576px){.col-sm-6{f:6}.offcanvas{g:7}}h1{h:8}@keyframes spin{to{i:9}}"
    )
    out = bootstrap_css.trim(css, {"btn", "card", "x"}, ("alert-", "col-"))
    assert out == (
        ".btn{a:1}.card{b:2}.alert-danger{d:4}.x:not(.unused){e:5}"
        "@media (min-width:576px){.col-sm-6{f:6}}h1{h:8}@keyframes spin{to{i:9}}"
    )


def test_names_put_together_in_a_template_keep_their_family(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<div class="alert alert-{{ level }} text-bg-{{ x }}">')
    used, prefixes = bootstrap_css.words(tmp_path)
    assert {"alert"} <= used
    assert "alert-" in prefixes and "text-bg-" in prefixes
