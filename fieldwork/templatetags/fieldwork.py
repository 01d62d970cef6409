"""Template helpers: `{% load fieldwork %}`, then `{{ user|person }}`, `{{ count|grouped }}`.

Thin filters only: how a name reads is decided in fieldwork/display.py.
"""

from django import template
from django.utils.formats import number_format

from .. import display

register = template.Library()


@register.filter
def person(user) -> str:
    """A person's name as colleagues write it (display.display_name)."""
    return display.display_name(user)


@register.filter
def grouped(value):
    """A figure with the digit grouping of the chosen language: 12,345 in English, 12345 in Chinese.

    Plain `{{ value }}` never groups (USE_THOUSAND_SEPARATOR stays off, so that ids in URLs stay
    digits), so the counts that grow large say so here."""
    if value is None or value == "":
        return value
    return number_format(value, force_grouping=True)
