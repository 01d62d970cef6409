"""What the people picker searches: a few short keys per person, so that no request computes pinyin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKey(models.Model):
    """One way of finding a person by typing: a tail of their name as shown (王卫国, 卫国, 国), or the
    pinyin of every reading of it, whole or as initials (wangweiguo, wwg; 曾 gives zeng… and ceng…).

    Kept by services.people (a signal on every save of a user's name; `manage.py rebuild_person_keys`
    and seed_demo/import_unit after bulk loads); read by pickers.people_matching with a prefix match.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_keys")
    key = models.CharField(_("key"), max_length=64)
    # where in the name the key starts: 0 for the whole name, so that 王 finds 王卫国 before 汪王
    start = models.PositiveSmallIntegerField(_("start"), default=0)

    class Meta:
        verbose_name = _("person search key")
        verbose_name_plural = _("person search keys")
        constraints = [models.UniqueConstraint(fields=["key", "user"], name="person_key_unique")]
        indexes = [
            # the picker's `key LIKE 'typed%'` (pickers.people_matching): pattern ops serve a prefix
            # match on PostgreSQL whatever the database's collation; SQLite ignores the opclass.
            models.Index(fields=["key"], name="person_key_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.key
