"""Concerns: raising one outside a visit, and the detail page with its transitions (the lists: concern_lists;
actions and extension requests posted from the page: concern_work).

Each transition is a POST to its own URL carrying the version the person saw. With htmx the
answer is the detail body fragment (the same template the full page includes); without
JavaScript it is a redirect to the detail page with a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import callback_ladder, permissions, submissions, workdays
from ..display import display_name
from ..errors import DomainError
from ..forms.concerns import (
    ActionDoneForm,
    ActionForm,
    CallbackAttemptForm,
    ConcernAssessForm,
    ConcernCallbackForm,
    ConcernCreateForm,
    ConcernDueForm,
    ConcernReassignForm,
    ConcernResolveForm,
    ConcernStartForm,
    ConcernTransferForm,
    ConcernUnreachableForm,
    ConcernWithdrawForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
)
from ..forms.people import picker_search_sent, unchecked
from ..forms.photos import PhotoForm
from ..history import concern_history
from ..models import Concern, ConcernEvent, ExtensionRequest, Feedback, Photo
from ..services import callbacks as callback_services
from ..services import concerns as concern_services
from ..services import photos as photo_services
from ..services import transfers as transfer_services

# --- raising a concern outside a visit --------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def concern_create(request):
    key = submissions.submission_key_read(request.POST, "concern", request.user) if request.method == "POST" else None
    made = submissions.submission_made(key, request.user)
    if made is not None:
        messages.info(request, submissions.already_saved(made.get_absolute_url()))
        return redirect(made)
    form = ConcernCreateForm(request.POST or None, user=request.user)
    similar = None
    if picker_search_sent(request):  # the owner picker's Find button, without JavaScript
        unchecked(form)
    elif request.method == "POST" and SIMILAR_BUTTON in request.POST:  # "Check for similar concerns": save nothing
        form.is_valid()
        similar = form.similar()
    elif request.method == "POST" and key is None and submissions.submission_key_refused(request.POST):
        form.is_valid()
        form.add_error(None, submissions.refused_message())
    elif request.method == "POST" and form.is_valid():
        try:
            concern, created = submissions.submission_make(
                key,
                request.user,
                lambda: concern_services.concern_raise(
                    by=request.user,
                    unit=form.cleaned_data["unit"],
                    data=form.to_input(),
                    owner=form.cleaned_data.get("owner"),
                ),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if not created:
                messages.info(request, submissions.already_saved(concern.get_absolute_url()))
                return redirect(concern)
            messages.success(
                request,
                _("Concern %(reference)s raised, due %(date)s.")
                % {"reference": concern.reference, "date": date_format(concern.due_date, "SHORT_DATE_FORMAT")},
            )
            return redirect(concern)
    return render(request, "fieldwork/concerns/form.html", {"form": form, "similar": similar})


SIMILAR_BUTTON = "_similar"  # the concern form's "Check for similar concerns" button (issue 21 item 3)


# --- the detail page --------------------------------------------------------------------------------

STEP_FORMS = {
    permissions.START: ConcernStartForm,
    permissions.RESOLVE: ConcernResolveForm,
    permissions.ASSESS: ConcernAssessForm,
    permissions.CALLBACK: ConcernCallbackForm,
    permissions.WITHDRAW: ConcernWithdrawForm,
    permissions.REASSIGN: ConcernReassignForm,
    permissions.SET_DUE: ConcernDueForm,
    permissions.TRANSFER: ConcernTransferForm,
    permissions.UNREACHABLE: ConcernUnreachableForm,
}


def _concern_or_404(request, pk) -> Concern:
    return get_object_or_404(
        Concern.objects.visible_to(request.user).select_related("unit", "category", "owner", "visit", "created_by"),
        pk=pk,
    )


def _detail_context(request, concern: Concern, *, bound: dict | None = None, error: str = "", notice: str = ""):
    """Everything the detail body shows. `bound` holds a submitted form that failed, to show its errors.

    What the person may do is asked once (permissions.concern_rights); the page offers only that.
    """
    user = request.user
    bound = bound or {}
    today = timezone.localdate()
    actions = list(concern.actions.select_related("owner").order_by("done_at", "due_date", "id"))
    extension_requests = list(concern.extension_requests.select_related("requested_by", "decided_by"))
    rights = permissions.concern_rights(
        concern, user, today=today, actions=actions, extension_requests=extension_requests
    )
    attempts = list(concern.callback_attempts.select_related("made_by"))
    attempt_days = len({callback_services.local_day(attempt.at) for attempt in attempts})
    unreachable_refusal = None
    if rights.may_close_unreachable:
        unreachable_refusal = callback_services.unreachable_refusal(concern=concern, user=user, days=attempt_days)
    step_forms = {
        name: bound.get(name) or form_class(prefix=name, concern=concern, user=user)
        for name, form_class in STEP_FORMS.items()
        if rights.may(name) and not (name == permissions.UNREACHABLE and unreachable_refusal)
    }
    attempt_form = None
    if rights.may_record_attempt:
        attempt_form = bound.get(permissions.ATTEMPT) or CallbackAttemptForm(prefix=permissions.ATTEMPT)
    action_form = None
    if rights.may_add_action:
        action_form = bound.get(permissions.ADD_ACTION) or ActionForm(prefix="action", concern=concern, user=user)
    for action in actions:
        action.concern = concern
        action.overdue = action.done_at is None and action.due_date < today
        action.done_form = None
        if action.pk in rights.completable_actions:
            action.done_form = bound.get(f"done-{action.pk}") or ActionDoneForm(prefix=f"done-{action.pk}")
    photo_context = _photo_context(request, concern, rights, actions, bound=bound)
    events = list(concern.events.select_related("actor"))
    for event in events:
        event.photo_list = photo_context["photos_by_event"].get(event.pk, [])
    return {
        **photo_context,
        "concern": concern,
        "today": today,
        "days_overdue": concern.days_overdue(today),
        **_callback_context(request, concern, rights, today),
        **_extension_context(concern, rights, extension_requests, bound=bound),
        "rights": rights,
        "step_forms": step_forms,
        "attempt_form": attempt_form,
        "attempts": attempts,
        "attempt_days": attempt_days,
        "unreachable_refusal": unreachable_refusal,
        "action_form": action_form,
        "actions": actions,
        "feedback": list(concern.feedback.select_related("recorded_by")),
        "events": events,
        "history": concern_history(concern),
        "principles": list(concern.principles.all()),
        "error": error,
        "notice": notice,
    }


def _photo_context(request, concern: Concern, rights, actions: list, *, bound: dict) -> dict:
    """The concern's photos (before and after, and each action's), and the photo inputs of its forms."""
    from .photos import photos_shown

    photos = photos_shown(
        Photo.objects.shown().filter(concern=concern).select_related("concern", "visit", "unit"), request.user
    )
    by_action: dict[int, list] = {}
    for photo in photos:
        if photo.action_id is not None:
            by_action.setdefault(photo.action_id, []).append(photo)
    for action in actions:
        action.photo_list = by_action.get(action.pk, [])
    by_event: dict[int, list] = {}
    for photo in photos:
        if photo.event_id is not None:
            by_event.setdefault(photo.event_id, []).append(photo)
    before = [photo for photo in photos if photo.stage == Photo.Stage.BEFORE]
    after = [photo for photo in photos if photo.stage == Photo.Stage.AFTER]
    limit = settings.FIELDWORK_PHOTO_MAX_COUNT
    return {
        "photos_before": before,
        "photos_after": after,
        "photo_forms": {
            "before": bound.get("photos:before") or PhotoForm(room=max(limit - len(before), 0)),
            "after": bound.get("photos:after") or PhotoForm(room=max(limit - len(after), 0)),
            "action": bound.get("photos:action") or PhotoForm(),
        },
        "may_add_photos": rights.may_add_action,
        "photos_by_event": by_event,
    }


def _callback_context(request, concern: Concern, rights: permissions.ConcernRights, today) -> dict:
    """The callback's deadline, and for the owner who will call the person back (never the owner)."""
    if not concern.awaits_callback:
        return {}
    queued = concern.callback_from is not None and concern.callback_due is not None
    until = concern_services.public_answer_until(concern)
    context = {
        "callback_days_late": workdays.days_overdue(concern.callback_due, today) if queued else 0,
        "callback_open": rights.may_record_callback and request.GET.get("callback") == "1",
        # a public concern in its person's own window: in no queue yet (services.concerns.callback_window)
        "public_answer_until": until if until is not None and today <= until else None,
    }
    if concern.owner_id == request.user.pk:
        level, people = callback_ladder.callback_callers(concern)
        context["callback_unit"] = level
        own_unit = level is not None and level.pk == concern.unit_id
        context["callback_names"] = "、".join(display_name(user) for user in people) if own_unit else ""
    return context


def _extension_context(concern: Concern, rights: permissions.ConcernRights, history: list, *, bound: dict) -> dict:
    """The extension requests (延期申请) part of the detail page: their history, the owner's form
    (only before the due date) and a leader's decision on the pending request."""
    pending = next((item for item in history if item.status == ExtensionRequest.Status.PENDING), None)
    request_form = None
    if rights.may_request_extension:
        request_form = bound.get("extension") or ExtensionRequestForm(prefix="extension", concern=concern)
    decide_form = None
    if rights.may_decide_extension:
        decide_form = bound.get("decide") or ExtensionDecideForm(prefix="decide", concern=concern)
    return {
        "extension_requests": history,
        "extension_pending": pending,
        "extension_form": request_form,
        "extension_refusal": rights.extension_refusal if pending is None else "",
        "extension_decide_form": decide_form,
    }


def _render_detail(request, concern: Concern, **extra):
    context = _detail_context(request, concern, **extra)
    template = "fieldwork/concerns/_detail_body.html" if request.htmx else "fieldwork/concerns/detail.html"
    return render(request, template, context)


@require_safe
@login_required
def concern_detail(request, pk):
    return _render_detail(request, _concern_or_404(request, pk))


def _answer(request, concern: Concern, *, notice: str = "", error: str = ""):
    """After a POST: htmx gets the fresh fragment with the outcome; a plain form a redirect."""
    if request.htmx:
        return _render_detail(request, _concern_or_404(request, concern.pk), notice=notice, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(concern)


def _invalid(request, concern: Concern, name: str, form, *, action: str | None = None, also: dict | None = None):
    """Bad input: the page (or fragment) again with the errors beside the fields; nothing changed.

    If the form is no longer on the page (the concern changed, or the step is not this person's),
    say why instead: errors beside a field nobody can see help no one.
    """
    seen = form.cleaned_data.get("version") if "version" in form.fields else None
    if seen is not None and seen != concern.version:
        return _answer(request, concern, error=concern_services.concern_changes_since(concern=concern, version=seen))
    refusal = permissions.concern_refusal(concern=concern, user=request.user, action=action or name)
    if refusal:
        return _answer(request, concern, error=refusal)
    bound = {name: form, **(also or {})}
    return _render_detail(request, concern, bound=bound, error=_("Please correct the errors below."))


def _perform(request, concern: Concern, work: Callable[[], str]):
    try:
        notice = work()
    except DomainError as refusal:
        return _answer(request, concern, error=str(refusal))
    return _answer(request, concern, notice=notice)


def _sent_before(request, concern: Concern, purpose: str):
    """For a form that creates something on the concern page (fieldwork.submissions): its key, and
    the answer when it was used already or is not valid (None when the POST is to be served)."""
    key = submissions.submission_key_read(request.POST, purpose, request.user)
    if submissions.submission_made(key, request.user) is not None:
        return key, _answer(request, concern, notice=submissions.already_saved(concern.get_absolute_url()))
    if key is None and submissions.submission_key_refused(request.POST):
        return key, _answer(request, concern, error=submissions.refused_message())
    return key, None


def _perform_once(request, concern: Concern, key, make: Callable[[], tuple[object, str]]):
    """_perform for a service that creates a record: made once per submission key."""
    notices: list[str] = []

    def record():
        made, notice = make()
        notices.append(notice)
        return made

    try:
        _made, created = submissions.submission_make(key, request.user, record)
    except DomainError as refusal:
        return _answer(request, concern, error=str(refusal))
    if not created:
        return _answer(request, concern, notice=submissions.already_saved(concern.get_absolute_url()))
    return _answer(request, concern, notice=notices[0])


def _step(request, pk, name: str, work: Callable[[Concern, dict], str], *, photo_stage: str = ""):
    """A transition: scope (404), role (403, unless the page was stale), form, one service call.
    With `photo_stage`, the step's photos too: one bad photo refuses the step (nothing changes)."""
    concern = _concern_or_404(request, pk)
    if name == permissions.CALLBACK:  # a callback creates a record: sent once (before the version's check)
        key, answer = _sent_before(request, concern, "callback")
        if answer is not None:
            return answer
    # A page loaded before someone else's change gets the conflict message (from the service),
    # not a 403, even if the change took this person's right away.
    stale = request.POST.get(f"{name}-version", "") != str(concern.version)
    if not stale and not permissions.concern_may(concern=concern, user=request.user, action=name):
        raise PermissionDenied
    form = STEP_FORMS[name](request.POST, prefix=name, concern=concern, user=request.user)
    if picker_search_sent(request):  # a people picker's Find button, without JavaScript
        unchecked(form)
        return _render_detail(request, concern, bound={name: form})
    photos = None
    if photo_stage:
        room = photo_services.photo_room(concern=concern, stage=photo_stage)
        photos = PhotoForm(request.POST, request.FILES, room=room)
        valid = form.is_valid()
        if not (photos.is_valid() and valid):
            return _invalid(request, concern, name, form, also={f"photos:{photo_stage}": photos})
        form.cleaned_data["photos"] = photos.cleaned_data["photos"]
    elif not form.is_valid():
        return _invalid(request, concern, name, form)
    if name == permissions.CALLBACK:
        return _perform_once(request, concern, key, lambda: work(concern, form.cleaned_data))
    return _perform(request, concern, lambda: work(concern, form.cleaned_data))


@require_POST
@login_required
def concern_start(request, pk):
    def work(concern, data):
        concern_services.concern_start(concern=concern, by=request.user, version=data["version"], note=data["note"])
        return _("Work started.")

    return _step(request, pk, permissions.START, work)


@require_POST
@login_required
def concern_resolve(request, pk):
    def work(concern, data):
        with transaction.atomic():  # resolved with its photos (after the work), or not at all
            concern_services.concern_resolve(
                concern=concern, by=request.user, version=data["version"], resolution=data["resolution"]
            )
            event = concern.events.filter(kind=ConcernEvent.Kind.RESOLVED).order_by("-created_at", "-id").first()
            photo_services.photos_add(
                by=request.user, photos=data["photos"], concern=concern, stage=Photo.Stage.AFTER, event=event
            )
        return _("Marked resolved. It closes when the person who raised it is satisfied.")

    return _step(request, pk, permissions.RESOLVE, work, photo_stage=Photo.Stage.AFTER)


@require_POST
@login_required
def concern_assess(request, pk):
    def work(concern, data):
        concern_services.concern_assess(
            concern=concern,
            by=request.user,
            version=data["version"],
            solvability=data["solvability"],
            note=data["note"],
        )
        return _("Assessment recorded.")

    return _step(request, pk, permissions.ASSESS, work)


@require_POST
@login_required
def concern_callback(request, pk):
    def work(concern, data):
        feedback = callback_services.feedback_record(
            concern=concern,
            by=request.user,
            version=data["version"],
            satisfaction=data["satisfaction"],
            channel=data["channel"],
            comment=data["comment"],
            date=data["date"],
            new_due_date=data["new_due_date"],
        )
        if data["satisfaction"] == Feedback.Satisfaction.DISSATISFIED:
            return feedback, _(
                "Callback recorded: not satisfied, so the concern is back in progress, due %(date)s."
            ) % {"date": date_format(concern.due_date, "SHORT_DATE_FORMAT")}
        return feedback, _("Callback recorded: the person is satisfied, so the concern is closed.")

    return _step(request, pk, permissions.CALLBACK, work)


@require_POST
@login_required
def concern_attempt(request, pk):
    """A call that reached nobody: recorded once per opening of the form, from the concern page or in
    one tap from a queue row (`next` brings the caller back to the queue)."""
    concern = _concern_or_404(request, pk)
    if not permissions.concern_may(concern=concern, user=request.user, action=permissions.ATTEMPT):
        raise PermissionDenied
    key, answer = _sent_before(request, concern, permissions.ATTEMPT)
    if answer is not None:
        return answer
    form = CallbackAttemptForm(request.POST, prefix=permissions.ATTEMPT)
    if not form.is_valid():
        return _invalid(request, concern, permissions.ATTEMPT, form)

    def make():
        attempt = callback_services.callback_attempt_record(
            concern=concern, by=request.user, channel=form.cleaned_data["channel"], note=form.cleaned_data["note"]
        )
        days = callback_services.attempt_days(concern)
        return attempt, ngettext(
            "Call recorded: the person was not reached. Calls on %(days)s day so far.",
            "Call recorded: the person was not reached. Calls on %(days)s different days so far.",
            days,
        ) % {"days": days}

    back = request.POST.get("next", "")
    if not request.htmx and back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        try:
            _made, created = submissions.submission_make(key, request.user, lambda: _noted(make, request))
        except DomainError as refusal:
            messages.error(request, str(refusal))
        else:
            if not created:
                messages.info(request, submissions.already_saved(concern.get_absolute_url()))
        return redirect(back)
    return _perform_once(request, concern, key, make)


def _noted(make: Callable[[], tuple[object, str]], request):
    made, notice = make()
    messages.success(request, notice)
    return made


@require_POST
@login_required
def concern_unreachable(request, pk):
    def work(concern, data):
        callback_services.concern_close_unreachable(
            concern=concern, by=request.user, version=data["version"], reason=data["reason"]
        )
        return _("The concern is closed: the person could not be reached.")

    return _step(request, pk, permissions.UNREACHABLE, work)


@require_POST
@login_required
def concern_withdraw(request, pk):
    def work(concern, data):
        concern_services.concern_withdraw(
            concern=concern, by=request.user, version=data["version"], reason=data["reason"]
        )
        return _("The concern was withdrawn.")

    return _step(request, pk, permissions.WITHDRAW, work)


@require_POST
@login_required
def concern_reassign(request, pk):
    def work(concern, data):
        concern_services.concern_reassign(
            concern=concern, by=request.user, version=data["version"], owner=data["owner"], note=data["note"]
        )
        owner = data["owner"]
        return _("%(name)s now owns the concern.") % {"name": display_name(owner)}

    return _step(request, pk, permissions.REASSIGN, work)


@require_POST
@login_required
def concern_set_due(request, pk):
    def work(concern, data):
        concern_services.concern_set_due(
            concern=concern,
            by=request.user,
            version=data["version"],
            due_date=data["due_date"],
            note=data["note"],
        )
        return _("The concern is now due %(date)s.") % {"date": date_format(data["due_date"], "SHORT_DATE_FORMAT")}

    return _step(request, pk, permissions.SET_DUE, work)


@require_POST
@login_required
def concern_transfer(request, pk):
    def work(concern, data):
        transfer_services.concern_transfer(
            concern=concern, by=request.user, version=data["version"], unit=data["unit"], reason=data["reason"]
        )
        return _("The concern was transferred to %(unit)s.") % {"unit": data["unit"].name}

    return _step(request, pk, permissions.TRANSFER, work)
