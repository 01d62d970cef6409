"""The admin's entry of a year's holiday notice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarNoticeForm(forms.Form):
    """A year's holidays and make-up working days as the State Council's notice lists them, one line each."""

    notice = forms.CharField(
        label=_("The notice, one line for each holiday and each worked weekend day"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 70}),
        max_length=5_000,
        help_text=_(
            "For example: «休 2027-02-05 2027-02-11 春节» for days off from the first to the last day, "
            "«班 2027-02-14 春节调休上班» for a weekend day that is worked. It replaces that year's days."
        ),
    )

    def clean_notice(self):
        from .. import workdays

        try:
            return workdays.notice_read(self.cleaned_data["notice"])
        except ValueError as error:
            message = _("This is not a notice as the example shows: %(error)s") % {"error": error}
            raise forms.ValidationError(message) from error
