"""The keys of confidential notes (谈心谈话): Fernet tokens under the keys of FIELDWORK_NOTE_KEYS.

FIELDWORK_NOTE_KEYS="newest,older,..." (each a Fernet key: 32 bytes, URL-safe base64). Notes are
written under the first key and read under any of them (MultiFernet), so a key is rotated by putting
a new one first, running `manage.py reencrypt_notes`, then dropping the old one. Who may read a note
is decided in services.talks; this module only turns text into tokens and back.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# Development and tests only (settings.py uses it when DEBUG is on and no key is given; the deploy
# check refuses it): anyone holding the source can read what it encrypted.
DEV_NOTE_KEY = "ZGV2LW9ubHktbm90ZS1rZXktZG8tbm90LXVzZS0xMjM="


class NoteUnreadable(Exception):
    """The token was made under none of the configured keys (a key dropped too early)."""


def configured_keys() -> tuple[str, ...]:
    return tuple(getattr(settings, "FIELDWORK_NOTE_KEYS", ()) or ())


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, ...]:
    return tuple(Fernet(key) for key in keys)


def _multi() -> MultiFernet:
    fernets = _fernets(configured_keys())
    if not fernets:
        raise NoteUnreadable("FIELDWORK_NOTE_KEYS is empty.")
    return MultiFernet(list(fernets))


def encrypt(text: str) -> str:
    return _multi().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _multi().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise NoteUnreadable("No configured key opens this note.") from error


def under_newest_key(token: str) -> bool:
    try:
        _fernets(configured_keys())[0].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """The same note under the newest key (its timestamp kept)."""
    try:
        return _multi().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise NoteUnreadable("No configured key opens this note.") from error


def key_errors(keys) -> list[str]:
    """What is wrong with a list of keys, as messages (empty: usable)."""
    if not keys:
        return ["FIELDWORK_NOTE_KEYS is empty."]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(f"Key {position} of FIELDWORK_NOTE_KEYS is not a Fernet key (32 bytes, URL-safe base64).")
    return errors
