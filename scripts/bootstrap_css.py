"""Bootstrap's stylesheet cut down to the rules whose classes the project can use.

    .venv/bin/python scripts/bootstrap_css.py          # rewrite the trimmed stylesheet
    .venv/bin/python scripts/bootstrap_css.py --check  # exit 1 if it is not what the sources give

The whole bootstrap.min.css is 31 KB compressed, a third of the visit form's first load on a weak
signal, and it blocks the first paint (issue 19). Most of it styles components and utilities that no
page uses. This script keeps a rule when every class in one of its selectors appears as a word in a
file that can put classes on a page: templates/, fieldwork/ and config/ (Python that writes markup or
widget attributes), static/fieldwork/ and the vendored scripts (htmx, Tom Select; of Bootstrap's own,
the classes it adds for the components in use: BOOTSTRAP_JS_CLASSES), and the packages that render
our forms (crispy-forms, crispy-bootstrap5, django-filter, Django's form templates). A word that ends
in "-" where a name is put together (`alert-{{ tag }}`, `"status-" + x`) keeps every class it begins.
Rules without a class (elements, :root's variables, attributes), @font-face, @keyframes and the like
are always kept; arguments of :not(), :is(), :where() and :has() never decide. The test is wide on
purpose: a word in a comment keeps a rule, an unused rule costs a few bytes, a missing one would
unstyle a page. tests/weak_signal checks in Chromium that the main pages' computed styles are the
same with either stylesheet.

The full stylesheet stays vendored as the source; pages link bootstrap.trimmed.min.css. After adding a
template that uses a Bootstrap class no other file used, run this script: tests/weak_signal fails until
the trimmed stylesheet is what the sources give.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor" / "bootstrap-5.3.9"
SOURCE = VENDOR / "bootstrap.min.css"
TRIMMED = VENDOR / "bootstrap.trimmed.min.css"

WORD = re.compile(r"[A-Za-z0-9_-]+")
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
FUNCTIONAL = re.compile(r":(?:not|is|where|has|-webkit-any|-moz-any)\(")
# Bootstrap's own script names every class of every component, used or not; what it adds to a page is
# these, for the components in use (the menu's collapse; alerts and modals should one come).
BOOTSTRAP_JS_CLASSES = {
    "show", "fade", "collapse", "collapsing", "collapsed", "collapse-horizontal", "active", "disabled",
    "modal-open", "modal-static", "was-validated",
}  # fmt: skip
# At-rules whose block holds rules (filtered inside); the others (@font-face, @keyframes, @page) stay whole.
NESTED = ("@media", "@supports", "@container", "@layer")


def sources(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for folder, patterns in (
        (root / "templates", ("*.html", "*.txt")),
        (root / "fieldwork", ("*.py", "*.html")),
        (root / "config", ("*.py",)),
        (root / "static" / "fieldwork", ("*.js",)),
        (root / "static" / "vendor", ("*.js",)),
    ):
        for pattern in patterns:
            files += sorted(p for p in folder.rglob(pattern) if not p.name.startswith("bootstrap."))
    import crispy_bootstrap5
    import crispy_forms
    import django
    import django_filters

    for package, patterns in (
        (Path(crispy_forms.__file__).parent, ("*.py", "*.html")),
        (Path(crispy_bootstrap5.__file__).parent, ("*.py", "*.html")),
        (Path(django_filters.__file__).parent, ("*.py", "*.html")),
        (Path(django.__file__).parent / "forms", ("*.py", "*.html")),
    ):
        for pattern in patterns:
            files += sorted(p for p in package.rglob(pattern) if "tests" not in p.parts)
    return files


def words(root: Path = ROOT) -> tuple[set[str], tuple[str, ...]]:
    """Every word in the sources, and the prefixes of names put together (words ending in "-")."""
    found: set[str] = set(BOOTSTRAP_JS_CLASSES)
    for path in sources(root):
        found.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    prefixes = tuple(sorted(w for w in found if w.endswith("-") and len(w.strip("-")) >= 2 and not w.startswith("-")))
    return found, prefixes


def _blocks(css: str):
    """(prelude, body) of each top-level block of minified CSS; strings and comments are skipped over."""
    i, start, n = 0, 0, len(css)
    while i < n:
        char = css[i]
        if char in "\"'":
            i = css.index(char, i + 1) + 1
            continue
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            if css.startswith("/*!", i):  # the licence comment stays
                yield css[i:end], None
            i = start = end
            continue
        if char == ";" and css[start:i].lstrip().startswith("@"):  # @charset, @import
            yield css[start : i + 1], None
            i = start = i + 1
            continue
        if char == "{":
            depth, j = 1, i + 1
            while depth:
                c = css[j]
                if c in "\"'":
                    j = css.index(c, j + 1) + 1
                    continue
                depth += {"{": 1, "}": -1}.get(c, 0)
                j += 1
            yield css[start:i].strip(), css[i + 1 : j - 1]
            i = start = j
            continue
        i += 1


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in prelude:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    parts.append(current)
    return parts


def _deciding_classes(selector: str) -> list[str]:
    """The classes of a selector, leaving out the arguments of :not(), :is(), :where() and :has()."""
    out, i = "", 0
    while i < len(selector):
        match = FUNCTIONAL.match(selector, i)
        if match:
            depth, j = 1, match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(selector[j], 0)
                j += 1
            i = j
            continue
        out += selector[i]
        i += 1
    return CLASS.findall(out)


def trim(css: str, used: set[str], prefixes: tuple[str, ...]) -> str:
    def wanted(name: str) -> bool:
        return name in used or name.startswith(prefixes)

    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude)
        elif prelude.startswith(NESTED):
            inner = trim(body, used, prefixes)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if all(wanted(c) for c in _deciding_classes(s))]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def trimmed() -> str:
    used, prefixes = words()
    return trim(SOURCE.read_text(), used, prefixes) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the trimmed stylesheet is current")
    args = parser.parse_args()
    text = trimmed()
    if args.check:
        if not TRIMMED.exists() or TRIMMED.read_text() != text:
            print(f"{TRIMMED.relative_to(ROOT)} is not what the sources give: run .venv/bin/python {__file__}")
            return 1
        print(f"{TRIMMED.relative_to(ROOT)} is current")
        return 0
    TRIMMED.write_text(text)
    print(f"{TRIMMED.relative_to(ROOT)}: {len(text.encode())} bytes (from {SOURCE.stat().st_size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
