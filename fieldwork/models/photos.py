"""Photos as evidence: of a visit, of a follow-up action, or of a concern before and after its resolution."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..scope import ScopedQuerySet
from .concerns import Concern, ConcernEvent, FollowUpAction
from .units import Unit
from .visits import Visit


class PhotoQuerySet(ScopedQuerySet):
    def shown(self) -> PhotoQuerySet:
        """Photos not withdrawn: the ones pages list and the serving views answer with."""
        return self.filter(withdrawn_at__isnull=True)

    def shareable(self) -> PhotoQuerySet:
        """What the person who raised a concern sees on the tracking page: shown and marked shareable."""
        return self.shown().filter(shareable=True)


class Photo(models.Model):
    """One photo, re-encoded on upload without any EXIF (services.photos.photo_prepare), with its thumbnail.

    It belongs to exactly one thing: a visit, a follow-up action (its concern is copied, for the concern
    page and the tracking page) or a concern (stage: before or after the work). Its unit is that thing's,
    for scoping (a transfer moves it along). Never deleted: withdrawn with a reason, the file kept.
    """

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="photos", null=True, blank=True
    )
    action = models.ForeignKey(
        FollowUpAction,
        verbose_name=_("follow-up action"),
        on_delete=models.PROTECT,
        related_name="photos",
        null=True,
        blank=True,
    )
    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="photos", null=True, blank=True
    )
    # the timeline's entry it came with (the resolution, the action added), to show it there too
    event = models.ForeignKey(
        ConcernEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="photos", null=True, blank=True
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True, default="")
    # names in the photo storage (services.photos.photo_storage), never a public URL
    file = models.CharField(_("file"), max_length=200, unique=True)
    thumbnail = models.CharField(_("thumbnail"), max_length=200, unique=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    bytes = models.PositiveIntegerField(_("size in bytes"))
    shareable = models.BooleanField(
        _("shown to the person who raised the concern"),
        default=False,
        help_text=_("Marked by the concern's owner or a leader; the tracking page shows only these."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawn_reason = models.TextField(_("reason withdrawn"), max_length=500, blank=True, default="")

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["file", "thumbnail"])

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["added_at", "id"]
        constraints = [
            # one owner: a visit, an action (with its concern), or a concern with its stage
            models.CheckConstraint(
                condition=(
                    Q(visit__isnull=False, action__isnull=True, concern__isnull=True, stage="")
                    | Q(visit__isnull=True, action__isnull=False, concern__isnull=False, stage="")
                    | Q(visit__isnull=True, action__isnull=True, concern__isnull=False, stage__in=["before", "after"])
                ),
                name="photo_one_owner",
            ),
        ]
        # the visit page and the concern page: their photos in order (the foreign keys' own indexes)

    def __str__(self) -> str:
        return f"{self.file} ({self.width}×{self.height})"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("fieldwork:photo-thumbnail", args=[self.pk])
