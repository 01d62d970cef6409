"""The person behind a concern and the concerns like it (issue 21 item 3): what the concern forms show
once a worker or a title is given, so that a cadre links a repeat to the earlier concern instead of
starting from zero. Bounded: the candidates are the newest CANDIDATES concerns of one unit and one
category (index concern_unit_category_raised), compared in Python with text.text_similarity.

Anonymous stays anonymous: when the new concern names a worker, anonymous concerns are never offered
(linking one would say who raised it), and `repeat_link_error` refuses such a link either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Concern, Person
from .text import SIMILAR_THRESHOLD, text_similarity

CANDIDATES = 200  # newest concerns of the unit and category compared
SHOWN = 5  # similar concerns listed
PERSON_RECENT = 5  # a worker's concerns listed besides their open ones


def concern_text(title: str, description: str) -> str:
    return f"{title} {description}"


def concern_similarity(first: tuple[str, str], second: tuple[str, str]) -> float:
    """How alike two concerns are, each given as (title, description): their titles' Dice coefficient."""
    return text_similarity(first[0], second[0])


@dataclass(frozen=True)
class Similar:
    concern: Concern
    score: float


def similar_concerns(
    *,
    unit_id: int,
    category_id: int,
    title: str,
    description: str = "",
    named: bool = False,
    exclude_id: int | None = None,
) -> list[Similar]:
    """At most SHOWN concerns of the unit and category whose text is alike (score ≥ SIMILAR_THRESHOLD),
    the most alike first. One query of at most CANDIDATES rows."""
    if not title.strip():
        return []
    candidates = Concern.objects.filter(unit_id=unit_id, category_id=category_id)
    if named:
        candidates = candidates.filter(anonymous=False)
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    rows = candidates.order_by("-raised_at", "-id").only(
        "id", "reference", "title", "description", "status", "raised_at", "anonymous", "unit_id", "category_id"
    )[:CANDIDATES]
    scored = [Similar(row, concern_similarity((title, description), (row.title, row.description))) for row in rows]
    alike = [item for item in scored if item.score >= SIMILAR_THRESHOLD]
    alike.sort(key=lambda item: (-item.score, -item.concern.pk))
    return alike[:SHOWN]


def person_concerns(person: Person) -> tuple[list[Concern], list[Concern]]:
    """A worker's open concerns, and their most recent ones that are finished (at most PERSON_RECENT)."""
    theirs = Concern.objects.filter(person=person).order_by("-raised_at", "-id")
    return list(theirs.active()), list(theirs.exclude(status__in=Concern.ACTIVE_STATUSES)[:PERSON_RECENT])


def repeat_link_error(*, anonymous: bool, person_id: int | None, unit_id: int, earlier: Concern | None) -> str:
    """Why `earlier` may not be named as the concern this one repeats ("" when it may): it must be of the
    same unit, and no link may join an anonymous concern to one that names a worker."""
    if earlier is None:
        return ""
    if earlier.unit_id != unit_id:
        return _("Only a concern of the same unit can be repeated.")
    if (anonymous and earlier.person_id) or (person_id and earlier.anonymous):
        return _("An anonymous concern cannot be linked to one that names a worker.")
    return ""


def person_error(*, anonymous: bool, person: Person | None, unit_id: int) -> str:
    """Why the worker may not be named on this concern ("" when they may)."""
    if person is None:
        return ""
    if anonymous:
        return _("An anonymous concern names nobody: leave the worker empty or untick anonymous.")
    if person.unit_id != unit_id:
        return _("Choose a worker of the concern's unit.")
    return ""
