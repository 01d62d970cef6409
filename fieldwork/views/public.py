"""The public channel of supervision (提供监督渠道，做到有过必改): anyone raises a concern without signing in,
keeps a receipt code, follows the concern with it and gives the callback themself; and the poster that
invites people to.

What the public pages never show: the names of cadres, internal notes, the raiser's name or contact.
Receipt codes never travel in a URL (logs, history, referrers): a code is POSTed, and the session
remembers which concern this browser follows. Every public page is never cached: each shows a
CSRF token, and the tracking page shows one person's concern.
"""

from __future__ import annotations

import datetime
import functools
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import public, submissions
from ..errors import ConcernConflict, DomainError
from ..forms.public import PublicCallbackForm, PublicConcernForm, PublicLookupForm
from ..models import Concern, ConcernEvent, Feedback, Photo, Unit
from ..services import callbacks as callback_services
from ..services import concerns as concern_services
from ..services import public as public_services

SESSION_RECEIPT = "fieldwork_public_receipt"  # the new code, until the receipt page has shown it once
SESSION_TRACKING = "fieldwork_public_tracking"  # the pk of the concern this browser follows

STATUS_EXPLAINED = {
    Concern.Status.OPEN: gettext_lazy("Received. It is waiting to be taken up."),
    Concern.Status.IN_PROGRESS: gettext_lazy("Someone is working on it."),
    Concern.Status.RESOLVED: gettext_lazy("The unit says it is resolved. Are you satisfied? Tell us below."),
    Concern.Status.CLOSED: gettext_lazy("Closed: you said you were satisfied with what was done."),
    Concern.Status.UNREACHABLE: gettext_lazy(
        "Closed after the work was done: the unit called several times on different days but could not reach you."
    ),
    Concern.Status.NO_ANSWER: gettext_lazy(
        "Closed after the work was done: you did not tell us here whether you were satisfied within the time "
        "to answer, and left no contact to call."
    ),
    Concern.Status.WITHDRAWN: gettext_lazy("Withdrawn by the unit."),
}


def _limited(request, *, until: datetime.datetime, reason: str) -> HttpResponse:
    """429 with Retry-After, and a page saying what happened and when to try again."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    response = render(
        request,
        "fieldwork/public/limited.html",
        {"reason": reason, "until": until, "minutes": math.ceil(seconds / 60)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _atomic_post(view):
    """A POST runs in one transaction, so that a rate limit's check and the attempt it records are one
    step (public.rate_limit_wait locks until the transaction ends); a GET records nothing."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapped


def _receipt_again(request, unit: Unit, concern: Concern, seed: str):
    """A resend of a raise already made: its receipt code once more, derived from the form's key."""
    code = public.receipt_code_again(concern, seed)
    if code is None:  # its receipt key was retired since: the code cannot be shown again
        messages.info(request, _("This concern was already received when you first sent it."))
        return redirect("fieldwork:public-track")
    request.session[SESSION_RECEIPT] = {"code": code, "concern": concern.pk, "again": True}
    request.session[SESSION_TRACKING] = concern.pk
    return redirect("fieldwork:public-raise-receipt", unit_code=unit.code)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_atomic_post
def public_raise(request, unit_code: str):
    """Raise a concern in a unit; anonymous by default. Unknown or inactive unit: 404.

    The form's submission key (fieldwork.submissions) is bound to nothing but itself: a resend of the
    same form, from any browser, shows the same receipt code again and makes nothing.
    """
    unit = get_object_or_404(Unit.objects.filter(active=True), code=unit_code)
    form = PublicConcernForm(request.POST or None)
    if request.method == "POST":
        key = submissions.submission_key_read(request.POST, "public-raise")
        made = submissions.submission_made(key)
        if made is not None:
            return _receipt_again(request, unit, made, key.token)
        address_key = public.address_attempt_key(request)
        unit_key = public.attempt_key(f"unit:{unit.pk}")
        until = public.rate_limit_wait(public.RAISE_PER_ADDRESS, address_key)
        if until:
            return _limited(request, until=until, reason="address")
        until = public.rate_limit_wait(public.RAISE_PER_UNIT, unit_key)
        if until:
            return _limited(request, until=until, reason="unit")
        if form.honeypot_filled:
            # Counted like a concern raised, saved nowhere; the person (if one) sees a neutral refusal
            # and their text, with the hidden field emptied, so a second send goes through.
            public.attempt_record(public.RAISE_PER_ADDRESS, address_key)
            data = request.POST.copy()
            data["website"] = ""
            form = PublicConcernForm(data)
            form.is_valid()
            form.add_error(None, _("Your concern could not be sent. Please check it and send it again."))
        elif key is None:
            form.is_valid()
            form.add_error(None, submissions.refused_message())
        elif form.is_valid():
            data = form.cleaned_data
            codes: list[str] = []

            def make() -> Concern:
                concern, code = public_services.public_concern_raise(
                    unit=unit,
                    category=data["category"],
                    description=data["description"],
                    anonymous=data["anonymous"],
                    name=data["name"],
                    contact=data["contact"],
                    seed=key.token,
                )
                codes.append(code)
                return concern

            try:
                concern, created = submissions.submission_make(key, None, make)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                if not created:
                    return _receipt_again(request, unit, concern, key.token)
                public.attempt_record(public.RAISE_PER_ADDRESS, address_key)
                public.attempt_record(public.RAISE_PER_UNIT, unit_key)
                request.session[SESSION_RECEIPT] = {"code": codes[0], "concern": concern.pk}
                request.session[SESSION_TRACKING] = concern.pk
                return redirect("fieldwork:public-raise-receipt", unit_code=unit.code)
    return render(request, "fieldwork/public/raise.html", {"unit": unit, "form": form})


@never_cache
@require_safe
def public_raise_receipt(request, unit_code: str):
    """The receipt code, shown once: the session forgets it as this page is rendered."""
    unit = get_object_or_404(Unit, code=unit_code)
    receipt = request.session.pop(SESSION_RECEIPT, None)
    concern = code = None
    if receipt:
        concern = (
            Concern.objects.filter(pk=receipt["concern"]).only("reference", "due_date", "raised_at", "status").first()
        )
        code = public.receipt_code_display(receipt["code"])
    again = bool(receipt and receipt.get("again"))
    return render(
        request, "fieldwork/public/receipt.html", {"unit": unit, "concern": concern, "code": code, "again": again}
    )


def _tracked(request) -> Concern | None:
    pk = request.session.get(SESSION_TRACKING)
    if not isinstance(pk, int):
        return None
    return Concern.objects.select_related("unit", "category").filter(pk=pk).first()


def _track_page(request, *, lookup_form=None, callback_form=None, status: int = 200) -> HttpResponse:
    concern = _tracked(request)
    context: dict = {"lookup_form": lookup_form or PublicLookupForm(), "concern": concern}
    if concern is not None:
        context["timeline"] = [
            {
                "kind": ConcernEvent.Kind(event["kind"]).label,
                "created_at": event["created_at"],
                "from_status": Concern.Status(event["from_status"]).label if event["from_status"] else "",
                "to_status": Concern.Status(event["to_status"]).label if event["to_status"] else "",
                "new_due_date": public.public_new_due_date(event["extension_note"]),
            }
            for event in public.public_timeline(concern)
        ]
        context["photos"] = _shareable_photos(concern)
        context["explained"] = STATUS_EXPLAINED.get(concern.status, "")
        context["overdue"] = concern.days_overdue()
        if concern.status == Concern.Status.RESOLVED:
            context["callback_form"] = callback_form or PublicCallbackForm(initial={"version": concern.version})
            context.update(_answer_window(concern))
    return render(request, "fieldwork/public/track.html", context, status=status)


def _shareable_photos(concern: Concern) -> list:
    """Only the photos its owner or a leader marked as shown to the person (views.photos serves them)."""
    from .photos import photos_shown

    return photos_shown(Photo.objects.shareable().filter(concern=concern), public=True)


def _answer_window(concern: Concern) -> dict:
    """Until which day the person can say here whether they are satisfied, and what happens after: a cadre
    calls them (a contact was left: callback_from is set), or it closes as not answered (none was)."""
    until = concern_services.public_answer_until(concern)
    return {
        "answer_until": until if until is not None and timezone.localdate() <= until else None,
        "answer_then_call": concern.callback_from is not None,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_atomic_post
def public_track(request):
    """GET (and HEAD): the concern this browser follows, and a box for a code. POST: look a code up.

    A wrong code and a malformed one get the same answer; failed look-ups are rate-limited per
    address, and a limited address is refused even a right code, so guessing stays hopeless.
    """
    if request.method != "POST":
        return _track_page(request)
    form = PublicLookupForm(request.POST)
    key = public.address_attempt_key(request)
    until = public.rate_limit_wait(public.LOOKUP_FAILURES_PER_ADDRESS, key)
    if until:
        return _limited(request, until=until, reason="lookup")
    if form.is_valid():
        concern = public.concern_by_receipt(form.cleaned_data["code"])
        if concern is not None:
            request.session[SESSION_TRACKING] = concern.pk
            return redirect("fieldwork:public-track")
        form.add_error("code", _("No concern has this code. Check it, letter by letter, and try again."))
    public.attempt_record(public.LOOKUP_FAILURES_PER_ADDRESS, key)
    return _track_page(request, lookup_form=form)


@never_cache
@require_POST
def public_track_callback(request):
    """The person's own callback on their resolved concern; dissatisfied reopens it (the service's rule)."""
    concern = _tracked(request)
    if concern is None:
        messages.error(request, _("Enter your receipt code first."))
        return redirect("fieldwork:public-track")
    key = submissions.submission_key_read(request.POST, "public-callback")
    if submissions.submission_made(key) is not None:
        messages.info(request, submissions.already_saved(reverse("fieldwork:public-track")))
        return redirect("fieldwork:public-track")
    if key is None and submissions.submission_key_refused(request.POST):
        messages.error(request, submissions.refused_message())
        return redirect("fieldwork:public-track")
    form = PublicCallbackForm(request.POST)
    if not form.is_valid():
        return _track_page(request, callback_form=form)
    data = form.cleaned_data
    try:
        _feedback, created = submissions.submission_make(
            key,
            None,
            lambda: callback_services.feedback_record(
                concern=concern,
                by=None,
                version=data["version"],
                satisfaction=data["satisfaction"],
                channel=Feedback.Channel.SELF_SERVICE,
                comment=data["comment"],
            ),
        )
    except ConcernConflict:
        # The service's own message names who changed the concern: not for the public.
        messages.error(
            request,
            _("Your concern changed after you opened this page; nothing was saved. Here it is as it is now."),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if not created:
            messages.info(request, submissions.already_saved(reverse("fieldwork:public-track")))
        elif data["satisfaction"] == Feedback.Satisfaction.DISSATISFIED:
            messages.success(request, _("Thank you. Your concern has been reopened and will be worked on again."))
        else:
            messages.success(request, _("Thank you. Your concern is now closed."))
    return redirect("fieldwork:public-track")


@require_POST
def public_track_forget(request):
    """Stop following a concern in this browser (a shared phone, a public computer)."""
    request.session.pop(SESSION_TRACKING, None)
    messages.info(request, _("This browser no longer follows that concern. Your code still works."))
    return redirect("fieldwork:public-track")


@require_safe
@login_required
def unit_poster(request, pk: int):
    """A printable A4 poster for a unit's public channel, with the QR code of its address."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    url = public.public_raise_url(unit)
    return render(
        request,
        "fieldwork/public/poster.html",
        {
            "unit": unit,
            "url": url,
            # segno writes only numbers and fixed markup into the SVG; the URL is not in it.
            "qr_svg": mark_safe(public.qr_svg(url)),
            "track_url": public.public_track_url(),
        },
    )
