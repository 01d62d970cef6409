"""Photos as evidence: checking and re-encoding an upload, attaching photos, sharing and withdrawing them.

Every photo goes through `photo_prepare` before anything is stored: Pillow must read it as JPEG, PNG or
WebP (nothing else is tried), within the byte and pixel limits (a decompression bomb is refused before
it is decoded); it is turned upright from its EXIF orientation, scaled to PHOTO_MAX_SIDE at most and
encoded again as a plain JPEG, with no EXIF, XMP or comment — the camera's GPS position never reaches
the storage. HEIC/HEIF is refused with its own message: Pillow does not read it without a plug-in, and
phones send JPEG from a web form (iOS converts; static/fieldwork/photos.js re-encodes as JPEG anyway).

Files live in the "photos" storage (settings.STORAGES; a private folder, or an S3-compatible store),
named by a random id; they are handed out only by views.photos, which check scope first.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .. import scope
from ..errors import DomainError
from ..models import Concern, ConcernEvent, FollowUpAction, Photo, Visit

FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 75
# ISO-BMFF brands of HEIC/HEIF/AVIF files (bytes 8-12 after "ftyp"): named in their own message
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


class PhotoRefused(ValueError):
    """An upload that is not a photo we keep; its message names the file and says why."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked photo, re-encoded, ready to store."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def photo_storage() -> Storage:
    return storages["photos"]


def _limit_text() -> str:
    return filesizeformat(settings.FIELDWORK_PHOTO_MAX_BYTES)


def photo_prepare(upload, *, name: str = "") -> PreparedPhoto:
    """Check one uploaded file and return it re-encoded; PhotoRefused with a message otherwise."""
    name = name or getattr(upload, "name", "") or _("the photo")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > settings.FIELDWORK_PHOTO_MAX_BYTES:
        raise PhotoRefused(
            _("“%(name)s” is %(size)s; a photo may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": _limit_text()}
        )
    if size == 0:
        raise PhotoRefused(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        raise PhotoRefused(
            _(
                "“%(name)s” is a HEIC/HEIF photo, which cannot be read here. Send it as JPEG "
                "(on an iPhone: Settings, Camera, Formats, Most Compatible)."
            )
            % {"name": name}
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that: here any bomb is refused
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=FORMATS)
            width, height = image.size
            if width * height > settings.FIELDWORK_PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width}×{height}")
            if image.format == "JPEG":
                # decode at 1/2, 1/4 or 1/8 scale when that is still larger than what is kept: less memory
                image.draft("RGB", (settings.FIELDWORK_PHOTO_MAX_SIDE, settings.FIELDWORK_PHOTO_MAX_SIDE))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(
            _("“%(name)s” has too many pixels to be opened safely (at most %(limit)s million).")
            % {"name": name, "limit": settings.FIELDWORK_PHOTO_MAX_PIXELS // 1_000_000}
        ) from None
    except UnidentifiedImageError:
        raise PhotoRefused(
            _("“%(name)s” is not a photo that can be read here: send a JPEG, PNG or WebP picture.") % {"name": name}
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise PhotoRefused(
            _("“%(name)s” could not be read: the file is damaged or incomplete.") % {"name": name}
        ) from None
    return _encoded(image)


def _encoded(image: Image.Image) -> PreparedPhoto:
    """Upright, flattened to RGB, scaled, and written as a new JPEG that carries no metadata at all."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    side = settings.FIELDWORK_PHOTO_MAX_SIDE
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)  # a fresh image: no info, EXIF, XMP or ICC carried over
    clean.paste(image)
    full = io.BytesIO()
    clean.save(full, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    small = clean.copy()
    thumb_side = settings.FIELDWORK_PHOTO_THUMBNAIL_SIDE
    small.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
    thumb = io.BytesIO()
    small.save(thumb, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return PreparedPhoto(image=full.getvalue(), thumbnail=thumb.getvalue(), width=clean.width, height=clean.height)


def _store(content: bytes, suffix: str) -> str:
    today = timezone.localdate()
    name = f"{today:%Y/%m}/{uuid.uuid4().hex}{suffix}.jpg"
    return photo_storage().save(name, ContentFile(content))


def photos_add(
    *,
    by: AbstractBaseUser,
    photos: Iterable[PreparedPhoto],
    visit: Visit | None = None,
    action: FollowUpAction | None = None,
    concern: Concern | None = None,
    stage: str = "",
    event: ConcernEvent | None = None,
) -> list[Photo]:
    """Store checked photos and attach them to one visit, action, or concern stage (before/after).

    Called inside the transaction that makes or changes their owner. The files are written first; a
    transaction that rolls back leaves them unreferenced in the storage, never a row without its file.
    """
    photos = list(photos)
    if not photos:
        return []
    if action is not None:
        concern = action.concern
        unit_id = concern.unit_id
    elif visit is not None:
        unit_id = visit.unit_id
    elif concern is not None:
        unit_id = concern.unit_id
        if stage not in Photo.Stage.values:
            raise DomainError(_("Say whether the photos show the problem before or after the work."))
    else:
        raise ValueError("photos_add needs a visit, an action or a concern")
    made = []
    with transaction.atomic():
        for prepared in photos:
            made.append(
                Photo.objects.create(
                    unit_id=unit_id,
                    visit=visit,
                    action=action,
                    concern=concern,
                    stage=stage if action is None and visit is None else "",
                    event=event,
                    file=_store(prepared.image, ""),
                    thumbnail=_store(prepared.thumbnail, "-thumb"),
                    width=prepared.width,
                    height=prepared.height,
                    bytes=len(prepared.image),
                    added_by=by,
                )
            )
    return made


def photo_room(*, visit: Visit | None = None, action: FollowUpAction | None = None, concern=None, stage="") -> int:
    """How many more photos the visit, action or concern stage may take (FIELDWORK_PHOTO_MAX_COUNT each)."""
    if visit is not None and visit.pk:
        held = visit.photos.shown().count()
    elif action is not None and action.pk:
        held = action.photos.shown().count()
    elif concern is not None:
        held = concern.photos.shown().filter(action__isnull=True, stage=stage).count()
    else:
        held = 0
    return max(settings.FIELDWORK_PHOTO_MAX_COUNT - held, 0)


def photo_may_share(*, photo: Photo, user: AbstractBaseUser) -> bool:
    """The concern's owner or a leader of its unit decides what the person who raised it sees."""
    if photo.concern_id is None:
        return False  # a visit's photos are never on a tracking page
    return photo.concern.owner_id == user.pk or scope.is_leader_of(user, photo.unit)


def photo_may_withdraw(*, photo: Photo, user: AbstractBaseUser) -> bool:
    """Who added it, the owner of what it belongs to (the visit's author, the concern's owner), a leader."""
    if photo.added_by_id == user.pk or scope.is_leader_of(user, photo.unit):
        return True
    if photo.visit_id is not None:
        return photo.visit.author_id == user.pk
    return photo.concern.owner_id == user.pk


@transaction.atomic
def photo_set_shareable(*, photo: Photo, by: AbstractBaseUser, shareable: bool) -> Photo:
    photo = Photo.objects.select_for_update(of=("self",)).select_related("concern", "unit").get(pk=photo.pk)
    if photo.withdrawn_at is not None:
        raise DomainError(_("This photo was withdrawn."))
    if not photo_may_share(photo=photo, user=by):
        raise DomainError(_("Only the concern's owner or a leader of its unit decides who sees its photos."))
    if photo.shareable != shareable:
        photo.shareable = shareable
        photo._history_user = by
        photo.save(update_fields=["shareable"])
    return photo


@transaction.atomic
def photo_withdraw(*, photo: Photo, by: AbstractBaseUser, reason: str) -> Photo:
    """Take a photo off the pages, with a reason; the row and its file are kept (nothing is deleted)."""
    photo = Photo.objects.select_for_update(of=("self",)).select_related("concern", "visit", "unit").get(pk=photo.pk)
    if photo.withdrawn_at is not None:
        raise DomainError(_("This photo was withdrawn already."))
    if not photo_may_withdraw(photo=photo, user=by):
        raise DomainError(_("Only who added the photo, the owner of the record or a leader can withdraw it."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the photo is withdrawn."))
    photo.withdrawn_at = timezone.now()
    photo.withdrawn_by = by
    photo.withdrawn_reason = reason[:500]
    photo.shareable = False
    photo._history_user = by
    photo.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "shareable"])
    return photo
