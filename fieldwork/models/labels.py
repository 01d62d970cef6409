"""Reference data: the seeded, admin-editable labels a visit or a concern is filed under."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A seeded, admin-editable label kept in both languages of the interface."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "zh-hans").startswith("zh") else self.name_en


class Principle(BilingualName):
    """One of the essay's five principles of keeping close to the people."""

    essay_section = models.PositiveSmallIntegerField(_("essay section"))
    description = models.TextField(_("description"), blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("principle")
        verbose_name_plural = _("principles")


class Category(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
