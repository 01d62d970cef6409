"""Template helpers: `{% load fieldwork %}`, then `{{ user|person }}`, `{{ count|grouped }}`.

Thin filters only: how a name reads is decided in fieldwork/display.py.
"""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from .. import display, submissions

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


@register.simple_tag(takes_context=True)
def form_token(context, purpose: str):
    """The hidden field with a keyed form's submission key (fieldwork.submissions).

    A page shown again after its POST was refused keeps that POST's key while it is unused: it is
    still the same opening of the form.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    key = None
    if request is not None and request.method == "POST":
        posted = submissions.submission_key_read(request.POST, purpose, user)
        if posted is not None and submissions.submission_made(posted, user) is None:
            key = request.POST[submissions.FIELD]
    key = key or submissions.submission_key_new(purpose, user)
    return format_html('<input type="hidden" name="{}" value="{}">', submissions.FIELD, key)
