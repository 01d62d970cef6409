"""The public channel: no sign-in, so every field has a size limit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..inputs import ModelChoiceField
from ..models import Category, Feedback
from .fields import FreeTextField


class PublicConcernForm(forms.Form):
    """A concern raised by anyone, without signing in. Anonymous unless the person chooses otherwise.

    `website` is a honeypot: hidden from people by the .fw-hp class, filled in by bots that fill
    every field. The view refuses such a submission with a neutral message and saves nothing.
    """

    description = FreeTextField(
        label=_("What happened?"),
        max_length=2000,
        error_messages={"required": _("Say what happened.")},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where and when, and what you would like done. At most 2,000 characters."),
    )
    category = ModelChoiceField(label=_("What is it about?"), queryset=Category.objects.none())
    anonymous = forms.BooleanField(
        label=_("Keep me anonymous"),
        required=False,
        initial=True,
        help_text=_("Untick to give your name or a way to reach you; only those handling it will see them."),
    )
    name = FreeTextField(label=_("Your name"), max_length=100, required=False)
    contact = FreeTextField(
        label=_("Phone or other contact"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(active=True)

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and (data.get("name", "").strip() or data.get("contact", "").strip()):
            self.add_error(
                "anonymous",
                _("You gave a name or a contact: untick “Keep me anonymous” to send them, or clear them."),
            )
        return data


class PublicLookupForm(forms.Form):
    """A receipt code as typed: any case, with or without spaces and dashes (public.receipt_code_normalise)."""

    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH-JKMN",
            }
        ),
    )


class PublicCallbackForm(forms.Form):
    """The person's own verdict on a resolved concern; the satisfaction comes from the button pressed."""

    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    satisfaction = forms.ChoiceField(label=_("Are you satisfied?"), choices=Feedback.Satisfaction.choices)
    comment = FreeTextField(
        label=_("Anything to add? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
