"""Template helpers: `{% load fieldwork %}`, then `{{ user|person }}`."""

import re

from django import template

register = template.Library()

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def display_name(user) -> str:
    """A person's name as colleagues write it: 李芳 (family name first, no space) for a Chinese name,
    "Fang Li" otherwise, the username when no name is set."""
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip() or user.get_username()


register.filter("person", display_name)
