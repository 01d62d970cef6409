"""Photos: served only through these views, after the scope check (outside the user's units: 404), and
the photos' own small forms (show to the person who raised the concern, withdraw; add "before" photos
to a concern). The public tracking page serves the shareable photos of the concern its session follows.

In production (FIELDWORK_PHOTOS_ACCEL) a photo on the file system is sent by nginx: the view answers with
X-Accel-Redirect to the internal location of deploy/nginx.conf, which a client cannot request itself.
"""

from __future__ import annotations

from urllib.parse import quote

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, submissions
from ..errors import DomainError
from ..forms.photos import PhotoForm
from ..models import Photo
from ..services import photos as photo_services

# --- serving ---------------------------------------------------------------------------------------------


def _serve(photo: Photo, *, thumbnail: bool) -> HttpResponse:
    name = photo.thumbnail if thumbnail else photo.file
    storage = photo_services.photo_storage()
    try:
        on_disk = storage.path(name)
    except NotImplementedError:  # an S3-compatible store: read it and pass it on
        on_disk = None
    if on_disk is not None and settings.FIELDWORK_PHOTOS_ACCEL:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.FIELDWORK_PHOTOS_ACCEL_PREFIX + quote(name)
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
    kind = "thumbnail" if thumbnail else "photo"
    response["Content-Disposition"] = f'inline; filename="{kind}-{photo.pk}.jpg"'
    # no cache keeps it: PrivatePagesMiddleware says so for signed-in users, never_cache on the public ones
    return response


# The policy of a photo opened on its own: the browser shows it in an image document of its own making,
# which styles itself inline (Chromium). Nothing may run or load there but the picture.
image_policy = csp({"default-src": [NONE], "img-src": [SELF], "style-src": [UNSAFE_INLINE], "frame-ancestors": [NONE]})


def _visible_photo(request, pk) -> Photo:
    return get_object_or_404(Photo.objects.visible_to(request.user).shown(), pk=pk)


@image_policy
@require_safe
@login_required
def photo_file(request, pk):
    return _serve(_visible_photo(request, pk), thumbnail=False)


@image_policy
@require_safe
@login_required
def photo_thumbnail(request, pk):
    return _serve(_visible_photo(request, pk), thumbnail=True)


def _public_photo(request, pk) -> Photo:
    from .public import _tracked  # the concern this browser follows, opened with its receipt code

    concern = _tracked(request)
    if concern is None:
        raise Http404
    return get_object_or_404(Photo.objects.shareable(), pk=pk, concern_id=concern.pk)


@image_policy
@never_cache
@require_safe
def public_photo_file(request, pk):
    return _serve(_public_photo(request, pk), thumbnail=False)


@image_policy
@never_cache
@require_safe
def public_photo_thumbnail(request, pk):
    return _serve(_public_photo(request, pk), thumbnail=True)


# --- what the pages show --------------------------------------------------------------------------------


def _thumb_size(photo: Photo) -> tuple[int, int]:
    side = settings.FIELDWORK_PHOTO_THUMBNAIL_SIDE
    scale = min(1.0, side / max(photo.width, photo.height, 1))
    return max(1, round(photo.width * scale)), max(1, round(photo.height * scale))


def photos_shown(photos, user=None, *, public: bool = False) -> list[Photo]:
    """Photos ready for templates/fieldwork/photos/_gallery.html: their links and what `user` may do."""
    shown = []
    for photo in photos:
        photo.thumb_width, photo.thumb_height = _thumb_size(photo)
        photo.public = public
        if public:
            photo.url = reverse("fieldwork:public-photo", args=[photo.pk])
            photo.thumb_url = reverse("fieldwork:public-photo-thumbnail", args=[photo.pk])
            photo.may_share = photo.may_withdraw = False
        else:
            photo.url = photo.get_absolute_url()
            photo.thumb_url = photo.thumbnail_url
            photo.may_share = photo_services.photo_may_share(photo=photo, user=user)
            photo.may_withdraw = photo_services.photo_may_withdraw(photo=photo, user=user)
        shown.append(photo)
    return shown


def _back(photo: Photo):
    return redirect(photo.visit if photo.visit_id is not None else photo.concern)


# --- changing them ----------------------------------------------------------------------------------------


@require_POST
@login_required
def photo_share(request, pk):
    photo = get_object_or_404(Photo.objects.visible_to(request.user).select_related("concern", "unit"), pk=pk)
    if not photo_services.photo_may_share(photo=photo, user=request.user):
        raise PermissionDenied
    shareable = request.POST.get("shareable") == "1"
    try:
        photo_services.photo_set_shareable(photo=photo, by=request.user, shareable=shareable)
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The photo is shown to the person who raised the concern.")
            if shareable
            else _("The photo is no longer shown to the person who raised the concern."),
        )
    return _back(photo)


@require_POST
@login_required
def photo_withdraw(request, pk):
    photo = get_object_or_404(Photo.objects.visible_to(request.user).select_related("concern", "visit", "unit"), pk=pk)
    if not photo_services.photo_may_withdraw(photo=photo, user=request.user):
        raise PermissionDenied
    try:
        photo_services.photo_withdraw(photo=photo, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The photo was withdrawn. It is kept, with the reason, but no longer shown."))
    return _back(photo)


@require_POST
@login_required
def concern_photo_add(request, pk):
    """Photos of the problem (before the work), added from the concern page by whoever may act on it."""
    from .concerns import _answer, _concern_or_404, _render_detail, _sent_before

    concern = _concern_or_404(request, pk)
    if not permissions.concern_may(concern=concern, user=request.user, action=permissions.ADD_ACTION):
        raise PermissionDenied
    key, answer = _sent_before(request, concern, "photo")
    if answer is not None:
        return answer
    stage = Photo.Stage.BEFORE
    form = PhotoForm(request.POST, request.FILES, room=photo_services.photo_room(concern=concern, stage=stage))
    if not form.is_valid() or not form.cleaned_data["photos"]:
        if form.is_valid():
            form.add_error("photos", _("Choose at least one photo."))
        return _render_detail(
            request, concern, bound={"photos:before": form}, error=_("Please correct the errors below.")
        )

    def make():
        with transaction.atomic():
            made = photo_services.photos_add(
                by=request.user, photos=form.cleaned_data["photos"], concern=concern, stage=stage
            )
        return made[0]

    try:
        _made, created = submissions.submission_make(key, request.user, make)
    except DomainError as refusal:
        return _answer(request, concern, error=str(refusal))
    if not created:
        return _answer(request, concern, notice=submissions.already_saved(concern.get_absolute_url()))
    return _answer(request, concern, notice=_("Photos added."))
