"""The models' choices as plain strings, and the weighted draws the builders share.

Plain strings, not the TextChoices members: "%s" % member runs Enum.__str__ for each of millions of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from ..models import Concern, ConcernEvent, ExtensionRequest, Feedback
from ..services.concerns import VERSIONED_KINDS

INF = float("inf")
SAT, BASIC, DISSAT = (
    Feedback.Satisfaction.SATISFIED.value,
    Feedback.Satisfaction.BASICALLY.value,
    Feedback.Satisfaction.DISSATISFIED.value,
)
OPEN, IN_PROGRESS, RESOLVED, CLOSED, UNREACHABLE, NO_ANSWER, WITHDRAWN = (
    Concern.Status.OPEN.value,
    Concern.Status.IN_PROGRESS.value,
    Concern.Status.RESOLVED.value,
    Concern.Status.CLOSED.value,
    Concern.Status.UNREACHABLE.value,
    Concern.Status.NO_ANSWER.value,
    Concern.Status.WITHDRAWN.value,
)
K = SimpleNamespace(**{member.name: member.value for member in ConcernEvent.Kind})
PUBLIC, VISIT_SOURCE, OTHER_SOURCE = (
    Concern.Source.PUBLIC.value,
    Concern.Source.VISIT.value,
    Concern.Source.OTHER.value,
)
SELF_SERVICE, PHONE, IN_PERSON = (
    Feedback.Channel.SELF_SERVICE.value,
    Feedback.Channel.PHONE.value,
    Feedback.Channel.IN_PERSON.value,
)
PENDING, APPROVED, REFUSED = (
    ExtensionRequest.Status.PENDING.value,
    ExtensionRequest.Status.APPROVED.value,
    ExtensionRequest.Status.REFUSED.value,
)
# The events after which a concern is at a new version, with its updated_at (services.concerns._write),
# and its raising, which made the first.
CHANGING_KINDS = frozenset(str(kind) for kind in VERSIONED_KINDS) | {K.RAISED}


def cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return out


def pool(pairs: Sequence[tuple[Any, int]]) -> list[Any]:
    """A list with each value repeated by its weight: picking an index is the cheapest weighted draw."""
    return [value for value, weight in pairs for _ in range(weight)]


# The moment of an event tuple (its first item): the key events are sorted by (a C getter: it is
# called for every event).
when = itemgetter(0)
