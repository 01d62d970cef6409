"""Pairing a cadre with a worker, ending a pairing and the help given (issue 21 item 2)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import scope
from ..inputs import ModelChoiceField
from ..models import Pairing, Person
from .fields import FreeTextField
from .people import person_field_setup


class HelpForm(forms.Form):
    what = forms.CharField(label=_("Help given"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(
        label=_("Value (yuan), if any"), max_digits=10, decimal_places=2, required=False, min_value=Decimal("0")
    )

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Help given cannot be in the future."))
        return day


class PairingForm(forms.Form):
    """A leader pairs a cadre with a worker of a unit they lead."""

    person = ModelChoiceField(label=_("Worker"), queryset=Person.objects.none())
    cadre = ModelChoiceField(label=_("Cadre"), queryset=get_user_model().objects.none())
    reason = forms.ChoiceField(label=_("Reason"), choices=Pairing.Reason.choices, widget=forms.RadioSelect())
    reason_text = FreeTextField(
        label=_("About the reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown only to the paired cadre and the unit's leaders."),
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    review_on = forms.DateField(label=_("Review on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = scope.visible_units(user).filter(active=True)
        self.fields["person"].queryset = Person.objects.filter(unit__in=units, active=True)
        self.fields["cadre"].queryset = (
            get_user_model().objects.filter(is_active=True, memberships__unit__in=units).distinct()
        )
        person_field_setup(self, "person", user=user, kind="worker")
        person_field_setup(self, "cadre", user=user)

    def clean(self):
        data = super().clean()
        start, review = data.get("starts_on"), data.get("review_on")
        if start and review and review < start:
            self.add_error("review_on", _("The review comes after the start."))
        return data


class EndForm(forms.Form):
    end_reason = FreeTextField(label=_("Why the pairing ends"), max_length=2000)
