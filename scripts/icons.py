"""The icons the pages use, as a subset of the Bootstrap Icons font and a CSS of only their classes.

    .venv/bin/python scripts/icons.py          # rebuild the subset from the vendored full font
    .venv/bin/python scripts/icons.py --check  # exit 1 if the subset is not what the pages use

The full font (134 KB) was fetched on every page for ten icons (issue 19). This script scans
templates/ and static/fieldwork/*.js (and fieldwork/**/*.py, where Python writes markup) for
`bi-<name>` classes, and writes static/vendor/bootstrap-icons-<version>/subset/: a WOFF2 font with only
those glyphs and a CSS with the classes of the upstream stylesheet for them, so every
`<i class="bi bi-<name>">` keeps working. The source stays vendored beside it (fonts/bootstrap-icons.woff2
and the name → code point map bootstrap-icons.json, both as the npm package ships them); no page and no
collected stylesheet names it. Run it after adding an icon to a template: tests/weak_signal fails until
the subset holds every icon in use, and no other.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor" / "bootstrap-icons-1.13.2"
SOURCE_FONT = VENDOR / "fonts" / "bootstrap-icons.woff2"
CODEPOINTS = VENDOR / "bootstrap-icons.json"
SUBSET = VENDOR / "subset"
SUBSET_FONT = SUBSET / "bootstrap-icons.woff2"
SUBSET_CSS = SUBSET / "bootstrap-icons.css"

# A class name as written in a template, a script or Python: "bi-" then words joined by hyphens.
ICON = re.compile(r"(?<![\w-])bi-([a-z0-9]+(?:-[a-z0-9]+)*)")

HEADER = """/*!
 * Bootstrap Icons v1.13.2 (https://icons.getbootstrap.com/)
 * Copyright 2019-2024 The Bootstrap Authors
 * Licensed under MIT (https://github.com/twbs/icons/blob/main/LICENSE)
 *
 * Only the icons the pages use: written by scripts/icons.py, do not edit.
 */
"""

BASE_RULE = (
    '.bi::before,[class*=" bi-"]::before,[class^=bi-]::before{display:inline-block;'
    "font-family:bootstrap-icons!important;font-style:normal;font-weight:400!important;font-variant:normal;"
    "text-transform:none;line-height:1;vertical-align:-.125em;-webkit-font-smoothing:antialiased;"
    "-moz-osx-font-smoothing:grayscale}"
)


def scanned_files(root: Path = ROOT) -> list[Path]:
    files = sorted((root / "templates").rglob("*.html"))
    files += sorted((root / "static" / "fieldwork").glob("*.js"))
    files += sorted((root / "fieldwork").rglob("*.py"))
    return files


def used_icons(root: Path = ROOT) -> dict[str, list[str]]:
    """Each icon name in use, with the files that use it (paths relative to `root`)."""
    used: dict[str, list[str]] = {}
    for path in scanned_files(root):
        for name in ICON.findall(path.read_text(encoding="utf-8", errors="replace")):
            used.setdefault(name, [])
            relative = str(path.relative_to(root))
            if relative not in used[name]:
                used[name].append(relative)
    return dict(sorted(used.items()))


def codepoints() -> dict[str, int]:
    return json.loads(CODEPOINTS.read_text())


def subset_icons() -> set[str]:
    """The icons the subset's stylesheet has a class for."""
    if not SUBSET_CSS.exists():
        return set()
    return set(re.findall(r"\.bi-([a-z0-9-]+)::before\{content:", SUBSET_CSS.read_text()))


def css(names: list[str], points: dict[str, int]) -> str:
    rules = [
        '@font-face{font-display:block;font-family:bootstrap-icons;src:url("bootstrap-icons.woff2") format("woff2")}',
        BASE_RULE,
    ]
    rules += [f'.bi-{name}::before{{content:"\\{points[name]:x}"}}' for name in names]
    return HEADER + "\n".join(rules) + "\n"


def font(codes: list[int]) -> bytes:
    """The full font cut down to `codes`, as WOFF2; the same input gives the same bytes."""
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # the upstream font's harmless "extra bytes in post"

    options = Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, family, style, id, full name, version, PostScript
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    source = TTFont(SOURCE_FONT, recalcTimestamp=False)
    subsetter = Subsetter(options=options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(source)
    source.flavor = "woff2"
    out = io.BytesIO()
    source.save(out, reorderTables=True)
    return out.getvalue()


def build() -> list[str]:
    used = used_icons()
    points = codepoints()
    # Python's "bi-" may be prose (a bi-weekly report): only markup and scripts must name real icons.
    used = {name: files for name, files in used.items() if name in points or not all(f.endswith(".py") for f in files)}
    unknown = sorted(set(used) - set(points))
    if unknown:
        where = "; ".join(f"bi-{name} in {', '.join(used[name])}" for name in unknown)
        raise SystemExit(f"not a Bootstrap Icons 1.13.2 icon: {where}")
    names = list(used)
    SUBSET.mkdir(exist_ok=True)
    SUBSET_FONT.write_bytes(font([points[name] for name in names]))
    SUBSET_CSS.write_text(css(names, points))
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the subset matches the pages")
    args = parser.parse_args()
    if args.check:
        used, built = set(used_icons()), subset_icons()
        if used != built:
            print(f"missing from the subset: {sorted(used - built)}; unused in it: {sorted(built - used)}")
            print("run: .venv/bin/python scripts/icons.py")
            return 1
        print(f"the subset holds the {len(used)} icons in use")
        return 0
    names = build()
    print(
        f"{len(names)} icons: {', '.join(names)}\n"
        f"{SUBSET_FONT.relative_to(ROOT)}: {SUBSET_FONT.stat().st_size} bytes; "
        f"{SUBSET_CSS.relative_to(ROOT)}: {SUBSET_CSS.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
