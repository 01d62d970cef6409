"""The Chinese catalogue covers every string in the code, with nothing untranslated or fuzzy, compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def _problems(po: Path) -> list[str]:
    """The msgids of a catalogue that are untranslated or fuzzy (gettext's msgattrib does the parsing)."""
    found = []
    for flag in ("--untranslated", "--only-fuzzy"):
        output = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found += [line[len('msgid "') : -1] for line in output.splitlines() if line.startswith('msgid "')]
    return [msgid for msgid in found if msgid]  # the header's msgid is empty


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """makemessages over a copy of the code finds no string the committed catalogue does not translate."""
    for name in ("config", "fieldwork", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    missing = _problems(tmp_path / PO.relative_to(ROOT))
    assert missing == [], f"{len(missing)} strings lack a Chinese translation: {missing[:15]}"


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    assert _problems(PO) == []


def test_compiled_catalogue_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert MO.exists(), "run `make messages` to compile the catalogue"
    assert MO.read_bytes() == compiled.read_bytes(), "django.mo is stale: run `make messages`"
