"""The pieces the forms share: free text as people type it, the unit picker, who may own a concern
(the people picker lives in people.py)."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from .. import pickers, scope
from ..models import Unit
from ..text import text_clean


class FreeTextField(forms.CharField):
    """A text people type: cleaned by text.text_clean (no bidirectional controls; a text of only
    invisible characters or spaces is empty, so refused where one is required)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = text_clean(value)
        return value if value else self.empty_value


class UnitPickerWidget(forms.Select):
    """A select that renders only a few options; the searchable picker (tom-select) asks
    /units/search/ for the rest, so a scope of thousands of units does not weigh on the page."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-unit-picker": "", **(attrs or {})})


def unit_field_setup(field: forms.ModelChoiceField, user, selected: Unit | None) -> None:
    """Scope a unit field to the user, and show as options only their own units and the selected one."""
    field.queryset = scope.visible_units(user).filter(active=True)
    field.widget.attrs["data-search-url"] = reverse("fieldwork:unit-search")
    # The searchable picker hides the select and takes its <label>: the select keeps its name (axe select-name).
    field.widget.attrs["aria-label"] = field.label
    own = list(field.queryset.filter(memberships__user=user).distinct().order_by("path")[:50])
    if selected is not None and selected not in own:
        own.insert(0, selected)
    field.widget.choices = [("", "---------")] + [(unit.pk, unit.name) for unit in own]


def concern_members(unit: Unit):
    """People who work in the unit or a unit above it: who may own a concern or an action there."""
    return pickers.unit_people(unit).order_by("last_name", "first_name", "username")
