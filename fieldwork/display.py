"""How names read: one place for the way a person is named on pages, in mails, exports and notes.

The template filters in templatetags/fieldwork.py call these; services, history, forms and commands
import them from here.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def display_name(user) -> str:
    """A person's name as colleagues write it: 李芳 (family name first, no space) for a Chinese name,
    "Fang Li" otherwise, the username when no name is set."""
    if user is None:
        return ""
    return name_of(user.first_name, user.last_name, user.get_username())


def name_of(first_name: str | None, last_name: str | None, username: str) -> str:
    """display_name from the fields alone, for exports that read rows as tuples."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip() or username


def actor_name(user) -> str:
    """Who did something, as a timeline note says it: a name, or the person who raised the concern
    when nobody signed in did it (the public channel's self-service callback)."""
    if user is None:
        return _("the person who raised it")
    return display_name(user)
