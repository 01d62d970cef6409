"""Export one unit's subtree (units, memberships, people, visits, concerns, their events, actions,
callbacks and extension requests) as JSON, and import such a file into an empty database. Whole-database backups are
pg_dump's job (README); this moves or archives one part of the organisation."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import transaction
from django.db.models import Q

from . import rollups
from .models import (
    Category,
    Concern,
    ConcernEvent,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    Principle,
    ReferenceCounter,
    Unit,
    Visit,
)


def subtree_objects(unit: Unit) -> Iterator:
    """Every object of the subtree, parents before children, ready for Django's serializer."""
    units = Unit.objects.subtree_of(unit).order_by("depth", "pk")
    concerns = Concern.objects.filter(unit__in=units).order_by("pk")
    visits = Visit.objects.filter(unit__in=units).order_by("pk")
    events = ConcernEvent.objects.filter(concern__in=concerns).order_by("pk")
    actions = FollowUpAction.objects.filter(concern__in=concerns).order_by("pk")
    feedback = Feedback.objects.filter(concern__in=concerns).order_by("pk")
    extensions = ExtensionRequest.objects.filter(concern__in=concerns).order_by("pk")
    memberships = Membership.objects.filter(unit__in=units).order_by("pk")
    User = get_user_model()
    people = User.objects.filter(
        Q(memberships__in=memberships)
        | Q(visits_authored__in=visits)
        | Q(visits_made__in=visits)
        | Q(concerns_owned__in=concerns)
        | Q(concerns_created__in=concerns)
        | Q(actions_owned__in=actions)
        | Q(pk__in=events.values("actor"))
        | Q(pk__in=feedback.values("recorded_by"))
        | Q(pk__in=extensions.values("requested_by"))
        | Q(pk__in=extensions.values("decided_by"))
        | Q(pk__in=units.values("receiver"))
    ).distinct()
    return chain(
        Category.objects.all(),
        Principle.objects.all(),
        people.order_by("username"),
        units,
        memberships,
        visits.prefetch_related("cadres", "principles"),
        concerns.prefetch_related("principles"),
        events,
        actions.prefetch_related("principles"),
        feedback,
        extensions,
    )


def subtree_export(*, unit: Unit, stream) -> None:
    serializers.serialize(
        "json",
        subtree_objects(unit),
        stream=stream,
        indent=1,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )


@transaction.atomic
def subtree_import(*, stream) -> dict[str, int]:
    """Load an export into a database holding none of its units; returns counts per model.

    Objects are saved as they are read (people and units come first), so natural keys resolve.
    """
    with rollups.suspended():  # rows come in raw; the rollups are recounted once at the end
        counts, unit_ids = _load(stream)
    _repair_paths(unit_ids)
    _repair_reference_counters()
    _reset_sequences()
    rollups.rebuild()
    return counts


def _load(stream) -> tuple[dict[str, int], set[int]]:
    unit_ids: set[int] = set()
    counts: dict[str, int] = {}
    deferred = []
    for obj in serializers.deserialize("json", stream, handle_forward_references=True):
        if isinstance(obj.object, Unit):
            if Unit.objects.filter(pk=obj.object.pk).exists():
                raise ValueError("Some units of this export already exist here; import into an empty database.")
            if obj.object.parent_id not in unit_ids:
                obj.object.parent_id = None  # the subtree's root becomes a root here
            unit_ids.add(obj.object.pk)
        obj.save()
        if obj.deferred_fields:
            deferred.append(obj)
        counts[obj.object._meta.label] = counts.get(obj.object._meta.label, 0) + 1
    for obj in deferred:
        obj.save_deferred_fields()
    return counts, unit_ids


def _reset_sequences() -> None:
    """Rows came in with their ids: move PostgreSQL's sequences past them."""
    from django.core.management.color import no_style
    from django.db import connection

    models = [Unit, Membership, Visit, Concern, ConcernEvent, FollowUpAction, Feedback, ExtensionRequest]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _repair_paths(unit_ids: set[int]) -> None:
    """Raw loading bypasses Unit.save: recompute the materialised paths, parents first."""
    paths: dict[int, str] = {}
    for unit in Unit.objects.filter(pk__in=unit_ids).order_by("depth", "pk"):
        unit.path = (paths[unit.parent_id] if unit.parent_id else "/") + f"{unit.pk}/"
        unit.depth = unit.path.count("/") - 2
        paths[unit.pk] = unit.path
        Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


def _repair_reference_counters() -> None:
    """New concerns must not reuse a reference that came in with the import."""
    highest: dict[int, int] = {}
    for reference in Concern.objects.values_list("reference", flat=True):
        _prefix, year, number = reference.split("-")
        highest[int(year)] = max(highest.get(int(year), 0), int(number))
    for year, number in highest.items():
        counter, _created = ReferenceCounter.objects.get_or_create(year=year)
        if counter.last < number:
            ReferenceCounter.objects.filter(year=year).update(last=number)
