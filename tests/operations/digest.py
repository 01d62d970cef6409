"""Row counts and a checksum of every exported column of one unit's subtree, over natural keys and
content, never database ids: two databases holding the same subtree give the same digest.

Run as `python -m tests.operations.digest <unit code>` with DATABASE_URL set; prints JSON.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys

# Every field of a person the export carries (export_unit's contract: not staff rights, not groups).
USER_FIELDS = ("username", "first_name", "last_name", "email", "password", "is_active", "date_joined", "last_login")
# Columns an import legitimately recomputes: the ids, and the unit tree's path and depth.
NOT_COMPARED = {"id", "path", "depth"}


def subtree_digest(code: str) -> dict[str, list]:
    from django.contrib.auth import get_user_model

    from fieldwork.models import (
        Category,
        Concern,
        ConcernEvent,
        ExtensionRequest,
        Feedback,
        FollowUpAction,
        Membership,
        Principle,
        Unit,
        Visit,
    )

    User = get_user_model()
    root = Unit.objects.get(code=code)
    units = Unit.objects.filter(path__startswith=root.path)
    people: set[int] = set()

    def natural(obj):
        if obj is None:
            return None
        if isinstance(obj, User):
            people.add(obj.pk)
            return obj.username
        if isinstance(obj, Unit):
            return obj.code
        if isinstance(obj, Concern):
            return obj.reference
        if isinstance(obj, Category | Principle):
            return obj.code
        if isinstance(obj, Visit):
            return [obj.unit.code, obj.author.username, obj.date.isoformat(), obj.form, plain(obj.created_at)]
        raise TypeError(type(obj))

    def row(obj) -> list:
        values = []
        for field in obj._meta.concrete_fields:
            if field.name in NOT_COMPARED:
                continue
            if field.is_relation:
                related = getattr(obj, field.name)
                if obj.pk == root.pk and isinstance(obj, Unit) and field.name == "parent":
                    related = None  # the exported root becomes a root where it is imported
                values.append([field.name, natural(related)])
            else:
                values.append([field.name, plain(getattr(obj, field.attname))])
        for field in obj._meta.many_to_many:
            values.append([field.name, sorted(natural(item) for item in getattr(obj, field.name).all())])
        return values

    querysets = {
        "fieldwork.Unit": units,
        "fieldwork.Membership": Membership.objects.filter(unit__in=units),
        "fieldwork.Visit": Visit.objects.filter(unit__in=units),
        "fieldwork.Concern": Concern.objects.filter(unit__in=units),
        "fieldwork.ConcernEvent": ConcernEvent.objects.filter(concern__unit__in=units),
        "fieldwork.FollowUpAction": FollowUpAction.objects.filter(concern__unit__in=units),
        "fieldwork.Feedback": Feedback.objects.filter(concern__unit__in=units),
        "fieldwork.ExtensionRequest": ExtensionRequest.objects.filter(concern__unit__in=units),
    }
    result = {label: checksum([row(obj) for obj in queryset]) for label, queryset in querysets.items()}
    users = User.objects.filter(pk__in=people)
    result["auth.User"] = checksum([[[name, plain(getattr(user, name))] for name in USER_FIELDS] for user in users])
    return result


def plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def checksum(rows: list[list]) -> list:
    lines = sorted(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows)
    if os.environ.get("DIGEST_ROWS"):  # to see what differs: the rows themselves
        return [len(lines), lines]
    return [len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()]


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(subtree_digest(sys.argv[1]), sort_keys=True))
