"""The cadre's paired workers and one pairing's page with its history and the help given (issue 21 item 2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import permissions, scope
from ..errors import DomainError
from ..forms.pairings import EndForm, HelpForm, PairingForm
from ..forms.people import picker_search_sent, unchecked
from ..models import Pairing
from ..pairings import days_since, my_pairings, pairing_history, with_last_contact
from ..services import pairings as pairing_services


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
