"""How a person is found by what people type: their name as shown, or its pinyin, whole or initials.

One home for the rule, used when keys are stored (services.people) and when a query is read
(pickers). Polyphonic characters count by every reading (曾 zeng/ceng, 单 shan/dan, 解 xie/jie):
someone who reads the surname either way finds the person.
"""

from __future__ import annotations

import itertools
import re

from pypinyin import Style, pinyin

from .display import name_of

KEY_LENGTH = 64  # models.PersonKey.key
MAX_READINGS = 16  # combinations of readings kept per name: enough for any real name, bounded for odd ones
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def query_key(text: str) -> str:
    """A typed query in the form keys are stored: lower case, without spaces."""
    return _SPACES.sub("", text).lower()[:KEY_LENGTH]


def _tails(parts: list[str]) -> list[str]:
    """Every tail of a sequence joined: 王卫国 → 王卫国, 卫国, 国 (a given name alone finds the person)."""
    return ["".join(parts[start:]) for start in range(len(parts))]


def _readings(name: str) -> list[list[str]]:
    """For each character of the name, its readings (a Latin word stays itself)."""
    readings = pinyin(name, style=Style.NORMAL, heteronym=True, errors=lambda chars: list(chars))
    return [sorted({r.lower() for r in options if r.strip()}) or [""] for options in readings]


def name_keys(*, first_name: str | None, last_name: str | None, username: str) -> dict[str, int]:
    """The keys a person is found by, each with where in the name it starts (0: at its start, the
    better match). A Chinese name gives its tails in characters and in pinyin; another name its
    words; the username counts only when no name is set (it is what is shown then)."""
    shown = name_of(first_name, last_name, username)
    keys: dict[str, int] = {}

    def add(parts: list[str]) -> None:
        for start, tail in enumerate(_tails(parts)):
            key = query_key(tail)[:KEY_LENGTH]
            if key and keys.get(key, start + 1) > start:
                keys[key] = start

    if _HAN.search(shown):
        add(list(query_key(shown)))
        per_char = [options for options in _readings(query_key(shown)) if options != [""]]
        for combo in itertools.islice(itertools.product(*per_char), MAX_READINGS):
            add(list(combo))
            add([syllable[:1] for syllable in combo])
    else:
        add(shown.split())
    return keys


def worker_keys(name: str) -> str:
    """A worker's picker keys (the same rule as a user's, from their name alone), joined by spaces and
    framed by them: ` wwg` is then a prefix of a key exactly when ` wwg` is in the text."""
    keys = name_keys(first_name=name, last_name="", username=name)
    return " " + " ".join(sorted(keys)) + " " if keys else ""
