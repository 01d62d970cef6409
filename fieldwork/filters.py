"""List filters (django-filter). Every unit choice is limited to the user's scope."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import scope
from .forms import unit_field_setup
from .models import Principle, Unit, Visit

User = get_user_model()


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """A unit, meaning that unit and everything below it."""

    def filter(self, qs, value):
        if value:
            return qs.filter(unit__path__startswith=value.path)
        return qs


class VisitFilter(django_filters.FilterSet):
    unit = SubtreeFilter(label=_("Unit (with the units below it)"), queryset=Unit.objects.none())
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    form = django_filters.ChoiceFilter(label=_("Form of visit"), choices=Visit.Form.choices)
    principle = django_filters.ModelChoiceFilter(
        field_name="principles", label=_("Principle"), queryset=Principle.objects.all()
    )
    cadre = django_filters.ModelChoiceFilter(
        field_name="cadres", label=_("Cadre"), queryset=User.objects.none()
    )

    class Meta:
        model = Visit
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = scope.visible_units(user)
        self.filters["unit"].queryset = units
        self.filters["cadre"].queryset = User.objects.filter(memberships__unit__in=units).distinct()
        self.form.fields["unit"].widget.attrs.update({"data-unit-picker": ""})
        # The unit picker searches; render only the chosen unit and the user's own ones as options.
        chosen = None
        unit_id = self.data.get("unit") if self.data else None
        if unit_id and str(unit_id).isdigit():
            chosen = units.filter(pk=unit_id).first()
        unit_field_setup(self.form.fields["unit"], user, chosen)
        self.form.fields["unit"].required = False
