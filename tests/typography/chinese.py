"""What a Chinese unit's writing never has, as checks over a piece of Chinese text (tests/typography).

Inside Chinese text: full-width punctuation (，：；（）！？), never the ASCII , : ; ( ) ! ? beside a
Chinese character; no English full stop after a Chinese character; no ISO date (2026-12-15: dates are
2026年12月15日); no arrows or ASCII separators (→ ← | /) between Chinese words. Placeholders
(%(name)s, %s, {x}, {{ x }}), HTML tags and web addresses are not text and are left out first.
"""

import re

PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{\{[^}]*\}\}|\{[a-z_0-9]*\}|https?://\S*|<[^>]+>")
# A Chinese character, or a full-width punctuation mark (the company of Chinese text).
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
HALF_WIDTH = re.compile(rf"(?<=[{CJK}])\s*[,:;()!?]|[,:;()!?]\s*(?=[{CJK}])")
FULL_STOP = re.compile(rf"(?<=[{CJK}])\s*\.(?!\.)|(?<=[{CJK}])\s*\.\.\.")
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)|Y-m-d")
SEPARATOR = re.compile(rf"[→←|]|(?<=[{CJK}])\s*/|/\s*(?=[{CJK}])")


def problems(text: str) -> list[str]:
    """What is wrong in `text` as Chinese typography, each as a short description."""
    plain = PLACEHOLDER.sub("X", text)
    found = []
    for name, rule in (
        ("half-width punctuation", HALF_WIDTH),
        ("English full stop", FULL_STOP),
        ("ISO date", ISO_DATE),
        ("symbol as separator", SEPARATOR),
    ):
        found += [f"{name} {match.group().strip()!r}" for match in rule.finditer(plain)]
    return found
