"""The cadre's paired workers and one pairing's page with its history and the help given (issue 21 item 2)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .. import permissions
from ..errors import DomainError
from ..models import Pairing
from ..pairings import days_since, my_pairings, pairing_history, with_last_contact
from ..services import pairings as pairing_services


class HelpForm(forms.Form):
    what = forms.CharField(label=_("Help given"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value (yuan), if any"), max_digits=10, decimal_places=2, required=False, min_value=Decimal("0"))

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Help given cannot be in the future."))
        return day


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
def pairing_detail(request, pk: int):
    pairing = pairing_for(request.user, pk)
    form = HelpForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
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
        "may_see_contact": permissions.person_contact_visible(person=pairing.person, user=request.user)
        or pairing.cadre_id == request.user.pk,
    }
    return render(request, "fieldwork/pairings/detail.html", context)


