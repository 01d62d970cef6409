"""Contact points (联系点): a leader assigning a cadre to a unit from the unit's page, and ending one."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import pickers
from ..inputs import ModelChoiceField
from .fields import FreeTextField
from .people import person_field_setup

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ContactPointForm(forms.Form):
    """Assign a cadre of the leader's units to this unit for a term."""

    cadre = ModelChoiceField(label=_("Cadre"), queryset=pickers.User.objects.none())
    start = forms.DateField(label=_("Term starts"), widget=DATE_INPUT)
    end = forms.DateField(
        label=_("Term ends"), required=False, widget=DATE_INPUT, help_text=_("Left empty, until it is ended.")
    )
    interval_days = forms.IntegerField(
        label=_("Visit at least every (days)"),
        min_value=1,
        max_value=366,
        help_text=_("A visit to this unit or a unit below it, with the cadre among its cadres, counts."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = pickers.colleagues(user, {}).order_by("last_name", "first_name", "username")
        person_field_setup(self, "cadre", user=user)
        self.fields["start"].initial = timezone.localdate()
        self.fields["interval_days"].initial = settings.FIELDWORK_CONTACT_INTERVAL_DAYS
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("A term cannot end before it starts."))
        return data


class ContactPointEndForm(forms.Form):
    reason = FreeTextField(label=_("Why it ends"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
