"""Work on a concern besides its transitions, posted from its detail page: follow-up actions and
extension requests (延期申请). Answered as the transitions are (views.concerns): with htmx the detail
body fragment, without JavaScript a redirect to the detail page with a message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..forms.concerns import ActionDoneForm, ActionForm, ExtensionDecideForm, ExtensionRequestForm
from ..forms.people import picker_search_sent, unchecked
from ..forms.photos import PhotoForm
from ..models import ConcernEvent, ExtensionRequest, FollowUpAction
from ..services import actions as action_services
from ..services import concerns as concern_services
from ..services import extensions as extension_services
from ..services import photos as photo_services
from .concerns import (
    _answer,
    _concern_or_404,
    _invalid,
    _perform,
    _perform_once,
    _render_detail,
    _sent_before,
)

# --- follow-up actions -------------------------------------------------------------------------------


@require_POST
@login_required
def action_create(request, pk):
    concern = _concern_or_404(request, pk)
    if not permissions.concern_may(concern=concern, user=request.user, action=permissions.ADD_ACTION):
        raise PermissionDenied
    form = ActionForm(request.POST, prefix="action", concern=concern, user=request.user)
    if picker_search_sent(request):  # the owner picker's Find button, without JavaScript
        unchecked(form)
        return _render_detail(request, concern, bound={permissions.ADD_ACTION: form})
    key, answer = _sent_before(request, concern, "action")
    if answer is not None:
        return answer
    photos = PhotoForm(request.POST, request.FILES)
    valid = form.is_valid()
    if not (photos.is_valid() and valid):
        return _invalid(request, concern, permissions.ADD_ACTION, form, also={"photos:action": photos})

    def work():
        with transaction.atomic():  # the action with its photos, or nothing
            action = action_services.action_add(
                concern=concern,
                by=request.user,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                principles=form.cleaned_data["principles"],
            )
            event = concern.events.filter(kind=ConcernEvent.Kind.ACTION_ADDED).order_by("-created_at", "-id").first()
            photo_services.photos_add(by=request.user, photos=photos.cleaned_data["photos"], action=action, event=event)
        return action, _("Action added.")

    return _perform_once(request, concern, key, work)


@require_POST
@login_required
def action_done(request, pk, action_pk):
    concern = _concern_or_404(request, pk)
    action = get_object_or_404(FollowUpAction.objects.select_related("owner"), pk=action_pk, concern=concern)
    action.concern = concern
    if not permissions.action_can_complete(action=action, user=request.user):
        raise PermissionDenied
    form = ActionDoneForm(request.POST, prefix=f"done-{action.pk}")
    if not form.is_valid():
        if action.done_at is not None:
            return _answer(request, concern, error=_("This action was already marked done."))
        return _render_detail(
            request, concern, bound={f"done-{action.pk}": form}, error=_("Please correct the errors below.")
        )

    def work():
        action_services.action_complete(action=action, by=request.user, outcome=form.cleaned_data["outcome"])
        return _("Action marked done.")

    return _perform(request, concern, work)


# --- extension requests (延期申请) -------------------------------------------------------------------


@require_POST
@login_required
def concern_extension_request(request, pk):
    """The owner asks for a later due date, before the current one (a leader decides)."""
    concern = _concern_or_404(request, pk)
    key, answer = _sent_before(request, concern, "extension")
    if answer is not None:
        return answer
    if not permissions.extension_may_request(concern=concern, user=request.user):
        raise PermissionDenied
    form = ExtensionRequestForm(request.POST, prefix="extension", concern=concern)
    if not form.is_valid():
        refusal = permissions.extension_request_refusal(concern=concern, user=request.user)
        if refusal:
            return _answer(request, concern, error=refusal)
        return _render_detail(request, concern, bound={"extension": form}, error=_("Please correct the errors below."))

    def work():
        extension = extension_services.extension_request(
            concern=concern,
            by=request.user,
            requested_due_date=form.cleaned_data["requested_due_date"],
            reason=form.cleaned_data["reason"],
        )
        return extension, _("Extension requested: a leader of the unit will decide.")

    return _perform_once(request, concern, key, work)


@require_POST
@login_required
def concern_extension_decide(request, pk, request_pk):
    """A leader of the unit (not the one who asked) approves or refuses a pending request."""
    concern = _concern_or_404(request, pk)
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("requested_by"), pk=request_pk, concern=concern
    )
    extension.concern = concern
    if not permissions.extension_may_decide(request=extension, user=request.user):
        raise PermissionDenied
    form = ExtensionDecideForm(request.POST, prefix="decide", concern=concern)
    if not form.is_valid():
        seen = form.cleaned_data.get("version")
        if extension.status != ExtensionRequest.Status.PENDING:
            return _answer(
                request,
                concern,
                error=_("This request was already decided: %(status)s.") % {"status": extension.get_status_display()},
            )
        if seen is not None and seen != concern.version:
            return _answer(
                request, concern, error=concern_services.concern_changes_since(concern=concern, version=seen)
            )
        return _render_detail(request, concern, bound={"decide": form}, error=_("Please correct the errors below."))
    approve = form.cleaned_data["decision"] == "approve"

    def work():
        extension_services.extension_decide(
            request=extension,
            by=request.user,
            approve=approve,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
        if approve:
            return _("Extension granted: the concern is now due %(date)s.") % {
                "date": date_format(extension.requested_due_date, "SHORT_DATE_FORMAT")
            }
        return _("Extension refused.")

    return _perform(request, concern, work)
