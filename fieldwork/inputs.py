"""What the app accepts from a request: ids, counts and search text, one rule each.

Every id in a link or a form of the app is written by the app in ASCII digits. Python reads
digits more loosely: str.isdigit() is true for "²", which int() refuses (a 500 where a view
trusted isdigit()), and int() reads "３" or "٣" as 3 (a link nobody wrote selecting a unit). So
an id or a count is ASCII digits within PostgreSQL's bigint, or it is no value at all; forms
refuse it with their usual "Select a valid choice", lists ignore it.

Search text goes through Django's CharField: stripped, and refused when it holds a NUL, which
PostgreSQL cannot store or compare (another 500); a refused search is no search.
"""

from __future__ import annotations

import re

import django_filters.fields
from django import forms

BIGINT_MAX = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(value, *, low: int = 0, high: int = BIGINT_MAX) -> int | None:
    """The number that `value` (a parameter or form value) writes in ASCII digits, if it lies in
    [low, high]; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if low <= number <= high else None


def object_id(value) -> int | None:
    """A primary key as the app writes it in links and forms, or None."""
    return whole_number(value, low=1)


def search_text(value, *, max_length: int) -> str:
    """Text to search for: stripped and cut to max_length; "" when missing or refused (a NUL)."""
    try:
        text = forms.CharField(required=False).clean(value)
    except forms.ValidationError:
        return ""
    return text[:max_length]


class IdChoiceMixin:
    """For model choice fields over primary keys: a submitted value that is not an id (object_id)
    is an invalid choice before any query is made. (Django checks the integer range for `pk=` but
    not for the `pk__in` of a multiple choice, where an id past a bigint crashed the query.)"""

    def _refuse_non_ids(self, values) -> None:
        if self.to_field_name:
            return
        for value in values:
            if value in self.empty_values or value == getattr(self, "null_value", object()):
                continue
            if object_id(value) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )


class ModelChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if not isinstance(value, self.queryset.model):
            self._refuse_non_ids([value])
        return super().to_python(value)


class ModelMultipleChoiceField(IdChoiceMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        self._refuse_non_ids(value or ())
        return super()._check_values(value)


class FilterModelChoiceField(IdChoiceMixin, django_filters.fields.ModelChoiceField):
    """django-filter's choice field (which also offers "nobody"), with the same rule."""

    def to_python(self, value):
        if not (self.null_label is not None and value == self.null_value):
            self._refuse_non_ids([value])
        return super().to_python(value)
