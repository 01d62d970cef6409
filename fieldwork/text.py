"""Free text as people type it, cleaned in one place (forms.FreeTextField uses it on every free-text field).

Bidirectional control characters are removed wherever they are: they make a text display other than
it reads (an owner's name that shows reversed, a note that hides its end). Invisible characters —
zero-width spaces and joiners, the word joiner, the byte-order mark — and every kind of space
(ideographic U+3000 included) are trimmed from both ends, so that a text made only of them is empty
and refused where a text is required. Inside a text they stay: a joiner belongs to an emoji sequence.
"""

from __future__ import annotations

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff"

_NO_BIDI = str.maketrans("", "", BIDI_CONTROLS)


def _blank(char: str) -> bool:
    return char.isspace() or char in ZERO_WIDTH


def text_clean(value: str) -> str:
    """`value` without bidirectional controls, and without spaces or invisible characters at its ends."""
    value = value.translate(_NO_BIDI)
    start, end = 0, len(value)
    while start < end and _blank(value[start]):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]
