"""The icon font holds the icons the pages use and no other (issue 19: the whole font, 134 KB, was
fetched on every page for ten icons). scripts/icons.py builds the subset; run it after a template takes
a new icon."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

ROOT = Path(settings.BASE_DIR)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


icons = _load("icons")


def test_every_icon_in_use_is_in_the_subset_and_no_other():
    used = icons.used_icons()
    assert "plus-lg" in used and "people-fill" in used  # the scan finds what base.html uses
    missing = {name: files for name, files in used.items() if name not in icons.subset_icons()}
    assert missing == {}, "icons missing from the subset; run .venv/bin/python scripts/icons.py"
    assert icons.subset_icons() == set(used), "the subset holds icons no page uses; run scripts/icons.py"


def test_the_subset_font_draws_each_icon_of_its_stylesheet():
    points = icons.codepoints()
    cmap = TTFont(icons.SUBSET_FONT).getBestCmap()
    assert set(cmap) == {points[name] for name in icons.subset_icons()}
    css = icons.SUBSET_CSS.read_text()
    for name in icons.subset_icons():
        assert f'.bi-{name}::before{{content:"\\{points[name]:x}"}}' in css


def test_the_subset_is_what_the_script_builds(tmp_path):
    """Rebuilt from the same sources, the same bytes: the committed subset is not edited by hand."""
    assert icons.font([icons.codepoints()[n] for n in icons.used_icons()]) == icons.SUBSET_FONT.read_bytes()
    assert icons.css(list(icons.used_icons()), icons.codepoints()) == icons.SUBSET_CSS.read_text()


def test_a_template_with_a_new_icon_is_found(tmp_path):
    (tmp_path / "templates" / "fieldwork").mkdir(parents=True)
    (tmp_path / "static" / "fieldwork").mkdir(parents=True)
    (tmp_path / "fieldwork").mkdir()
    (tmp_path / "templates" / "fieldwork" / "page.html").write_text(
        '<i class="bi bi-camera" aria-hidden="true"></i><i class="bi  bi-plus-lg"></i>'
    )
    (tmp_path / "static" / "fieldwork" / "photos.js").write_text('icon.className = "bi bi-cloud-arrow-up";')
    (tmp_path / "fieldwork" / "widgets.py").write_text('ICON = "bi-image"  # a bi-weekly note')
    used = icons.used_icons(tmp_path)
    assert set(used) == {"camera", "plus-lg", "cloud-arrow-up", "image", "weekly"}
    assert used["camera"] == ["templates/fieldwork/page.html"]
    assert not {"camera", "cloud-arrow-up", "image"} <= icons.subset_icons()  # what the test above would catch


def test_no_page_or_collected_stylesheet_names_the_full_font():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "subset/bootstrap-icons.css" in base
    assert not re.search(r"bootstrap-icons(\.min)?\.css", base.replace("subset/bootstrap-icons.css", ""))
    for css in (ROOT / "static").rglob("*.css"):
        text = css.read_text(errors="replace")
        assert "fonts/bootstrap-icons" not in text, css


@pytest.mark.parametrize("flag", ["--check"])
def test_the_check_says_the_subset_is_current(flag, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["icons.py", flag])
    assert icons.main() == 0
    assert "the subset holds the" in capsys.readouterr().out
