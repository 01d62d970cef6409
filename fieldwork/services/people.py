"""The people picker's search keys (models.PersonKey), kept in step with people's names."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from ..models import PersonKey
from ..name_keys import name_keys

NAME_FIELDS = frozenset({"first_name", "last_name", "username"})
BATCH = 2000


def _rows(user_id: int, first_name: str, last_name: str, username: str) -> list[PersonKey]:
    keys = name_keys(first_name=first_name, last_name=last_name, username=username)
    return [PersonKey(user_id=user_id, key=key, start=start) for key, start in keys.items()]


@transaction.atomic
def person_keys_refresh(*, user) -> None:
    """Store the keys of one person's name as it is now (after a save that may have changed it)."""
    PersonKey.objects.filter(user_id=user.pk).delete()
    PersonKey.objects.bulk_create(_rows(user.pk, user.first_name, user.last_name, user.get_username()))


@transaction.atomic
def person_keys_rebuild(*, user_ids: Iterable[int] | None = None) -> int:
    """Store the keys of these people (everyone when None), for rows that went in without signals:
    seed_demo, import_unit, the migration that adds the keys. Returns the number of people."""
    people = get_user_model().objects.order_by("pk")
    if user_ids is not None:
        people = people.filter(pk__in=list(user_ids))
    existing = PersonKey.objects.all() if user_ids is None else PersonKey.objects.filter(user__in=people)
    existing.delete()
    count = 0
    rows: list[PersonKey] = []
    for user_id, first, last, username in people.values_list("pk", "first_name", "last_name", "username").iterator(
        chunk_size=BATCH
    ):
        rows += _rows(user_id, first, last, username)
        count += 1
        if len(rows) >= BATCH:
            PersonKey.objects.bulk_create(rows)
            rows = []
    PersonKey.objects.bulk_create(rows)
    return count


def user_saved(sender, instance, created: bool, update_fields=None, raw: bool = False, **kwargs) -> None:
    """post_save of the user model (connected in apps.py): a save that may change the name refreshes
    the keys; a sign-in's `last_login` update does not."""
    if raw or (update_fields is not None and not (NAME_FIELDS & set(update_fields))):
        return
    person_keys_refresh(user=instance)
