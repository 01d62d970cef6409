"""Template helpers: `{% load fieldwork %}`, then `{{ user|person }}`, `{{ count|grouped }}`."""

import re

from django import template
from django.utils.formats import number_format

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


@register.filter
def grouped(value):
    """A figure with the digit grouping of the chosen language: 12,345 in English, 12345 in Chinese.

    Plain `{{ value }}` never groups (USE_THOUSAND_SEPARATOR stays off, so that ids in URLs stay
    digits), so the counts that grow large say so here."""
    if value is None or value == "":
        return value
    return number_format(value, force_grouping=True)
