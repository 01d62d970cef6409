"""The enterprise tree and who works in it: units and memberships."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from ..scope import UnitQuerySet


class Unit(models.Model):
    """A node of the enterprise tree: company → branch → workshop/department → team/station.

    `path` is a materialised path of primary keys ("/1/5/12/"), so a subtree is one indexed
    prefix query and never a recursion.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        BRANCH = "branch", _("Branch")
        DEPARTMENT = "department", _("Office or department")
        WORKSHOP = "workshop", _("Workshop")
        STATION = "station", _("Supply station")
        TEAM = "team", _("Team")
        SUBSTATION = "substation", _("Substation")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Used in the public channel's address."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    active = models.BooleanField(_("active"), default=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receiver of public concerns"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # what a visit's "people reached" is checked against (services.visits.visit_checks)
    headcount = models.PositiveIntegerField(
        _("headcount"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many people work in this unit. A visit reaching more people than this asks for a reason; "
            "left empty, the general limit applies."
        ),
    )

    objects = UnitQuerySet.as_manager()

    # /s/track/ lives beside /s/<unit-code>/: no unit may take that code.
    RESERVED_CODES = frozenset({"track"})

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            # every subtree query: path LIKE '/1/5/%' (scope.visible_units, selectors)
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path, old_depth = self.path, self.depth
        if self.pk is None:
            super().save(*args, **kwargs)  # the path is made of primary keys: get ours first
            args, kwargs = (), {}
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # The unit moved: carry everything below it along.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (self.depth - old_depth),
            )

    def clean(self) -> None:
        if self.code in self.RESERVED_CODES:
            raise ValidationError({"code": _("This code is reserved by the public channel's addresses.")})
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own units.")})

    def subtree(self) -> UnitQuerySet:
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> UnitQuerySet:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        return Unit.objects.filter(pk__in=ids).order_by("depth")


class Membership(models.Model):
    """A user's role in a unit; it reaches the unit and everything below it."""

    class Role(models.TextChoices):
        CADRE = "cadre", _("Cadre")
        LEADER = "leader", _("Leader")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CADRE)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
