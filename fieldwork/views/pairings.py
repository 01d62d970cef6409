"""The cadre's paired workers and one pairing's page with its history and the help given (issue 21 item 2)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .. import permissions, scope
from ..errors import DomainError
from ..forms.fields import FreeTextField
from ..forms.people import person_field_setup, picker_search_sent, unchecked
from ..inputs import ModelChoiceField
from ..models import Pairing, Person
from ..pairings import days_since, my_pairings, pairing_history, with_last_contact
from ..services import pairings as pairing_services


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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pairing_create(request):
    if not scope.leads_anything(request.user):
        raise Http404("only leaders pair cadres with workers")
    form = PairingForm(request.POST or None, user=request.user, initial={"starts_on": timezone.localdate()})
    if picker_search_sent(request):
        unchecked(form)
    elif request.method == "POST" and form.is_valid():
        try:
            pairing = pairing_services.pairing_start(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("fieldwork:pairing-detail", pk=pairing.pk)
    return render(request, "fieldwork/pairings/new.html", {"form": form})


@require_http_methods(["POST"])
@login_required
def pairing_end(request, pk: int):
    pairing = pairing_for(request.user, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            pairing_services.pairing_end(by=request.user, pairing=pairing, reason=form.cleaned_data["end_reason"])
        except DomainError:
            raise Http404("only the unit's leaders end a pairing") from None
        return redirect("fieldwork:pairing-detail", pk=pairing.pk)
    return pairing_detail(request, pk, end_form=form)


def pairing_for(user, pk: int) -> Pairing:
    """The pairing if the user may see it (the paired cadre, the unit's leaders); otherwise a 404."""
    pairing = Pairing.objects.visible_to(user).select_related("person", "unit", "cadre").filter(pk=pk).first()
    if pairing is None or not pairing_services.pairing_visible(pairing=pairing, user=user):
        raise Http404("no such pairing in the user's scope")
    return pairing


@login_required
def pairing_list(request):
    today = timezone.localdate()
    return render(request, "fieldwork/pairings/list.html", {"pairings": my_pairings(user=request.user, today=today)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pairing_detail(request, pk: int, end_form=None):
    pairing = pairing_for(request.user, pk)
    posted = request.POST if request.method == "POST" and end_form is None else None
    form = HelpForm(posted, initial={"given_on": timezone.localdate()})
    if posted is not None and form.is_valid():
        try:
            pairing_services.help_add(by=request.user, pairing=pairing, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("fieldwork:pairing-detail", pk=pairing.pk)
    row = with_last_contact(Pairing.objects.filter(pk=pairing.pk)).get()
    context = {
        "pairing": pairing,
        "days_since": days_since(row, timezone.localdate()),
        "history": pairing_history(pairing),
        "form": form,
        "may_end": pairing.ended_at is None and scope.is_leader_of(request.user, pairing.unit),
        "end_form": end_form or EndForm(),
        "may_see_contact": permissions.person_contact_visible(person=pairing.person, user=request.user)
        or pairing.cadre_id == request.user.pk,
    }
    return render(request, "fieldwork/pairings/detail.html", context)
