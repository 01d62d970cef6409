"""What a user may see: the units in the subtree of one of their memberships, and what lies in them.

Every list, detail, export and API builds on `visible_units`; an object outside it is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from .models import Unit


def memberships_of(user) -> list[tuple[str, str]]:
    """(unit path, role) for each of the user's memberships in an active unit, cached on the user."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_fieldwork_memberships", None)
    if cached is None:
        from .models import Membership

        cached = list(
            Membership.objects.filter(user=user, unit__active=True).values_list("unit__path", "role").order_by()
        )
        user._fieldwork_memberships = cached
    return cached


def _top_paths(paths: list[str]) -> list[str]:
    """Drop paths that lie under another one of the list: they add nothing to the scope."""
    top: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(other) for other in top):
            top.append(path)
    return top


def subtree_q(paths: list[str], field: str = "path") -> Q:
    """A filter for the subtrees of these unit paths; `field` names the path (e.g. "unit__path")."""
    q = Q(pk__in=[])
    for path in _top_paths(paths):
        q |= Q(**{f"{field}__startswith": path})
    return q


def visible_units(user) -> UnitQuerySet:
    """The units a user may see: superusers see all; others the subtrees of their memberships."""
    from .models import Unit

    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(subtree_q([path for path, _role in memberships_of(user)]))


def top_units(user) -> list:
    """The highest units a user sees, none under another: whose data an export of "all I see" holds."""
    from .models import Unit

    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Unit.objects.filter(parent__isnull=True))
    return list(Unit.objects.filter(path__in=_top_paths([path for path, _role in memberships_of(user)])))


def _leader_role() -> str:
    from .models import Membership  # the models import this module: the role is looked up when asked

    return Membership.Role.LEADER


def is_leader_of(user, unit: Unit) -> bool:
    """A leader of the unit or of a unit above it (superusers count as leaders everywhere)."""
    if user.is_superuser:
        return True
    leader = _leader_role()
    return any(role == leader and unit.path.startswith(path) for path, role in memberships_of(user))


def is_member_of(user, unit: Unit) -> bool:
    if user.is_superuser:
        return True
    return any(unit.path.startswith(path) for path, _role in memberships_of(user))


def leads_anything(user) -> bool:
    return user.is_superuser or any(role == _leader_role() for _path, role in memberships_of(user))


# The one home of the grassroots rule (coverage, DESIGN.md "Dashboard figures"): a grassroots unit is
# an active unit with no active unit anywhere below it, so an inactive unit in the middle of the tree
# neither hides the active units under it nor turns its active parent into a grassroots unit.
# `grassroots_ids` applies it to rows already read, `UnitQuerySet.leaves` in the database.


def grassroots_ids(units) -> set[int]:
    """The ids of the grassroots units among `units`, rows of (id, path, active) making up whole
    subtrees (every unit below a unit given is given too)."""
    units = list(units)
    above_active: set[int] = set()
    for _id, path, active in units:
        if active:
            above_active.update(int(part) for part in path[1:-1].split("/")[:-1])
    return {unit_id for unit_id, _path, active in units if active and unit_id not in above_active}


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> UnitQuerySet:
        """Units the user may see (scope.visible_units), as a filter on this queryset."""
        return self.filter(pk__in=visible_units(user).values("pk"))

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it: one prefix query on the indexed path."""
        return self.filter(path__startswith=unit.path)

    def leaves(self) -> UnitQuerySet:
        """The grassroots units of a subtree (GRASSROOTS_RULE): active units with no active unit
        anywhere below them, as a query; `grassroots_ids` is the same rule over rows in hand."""
        from .models import Unit

        below = Unit.objects.filter(path__startswith=models.OuterRef("path"), active=True).exclude(
            pk=models.OuterRef("pk")
        )
        return self.filter(active=True).exclude(models.Exists(below))


class ScopedQuerySet(models.QuerySet):
    """For models with a `unit`: filtering by what a user may see and by a unit's subtree."""

    def visible_to(self, user):
        """Objects whose unit the user may see; the one filter every view applies first."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        return self.filter(unit__in=visible_units(user))

    def in_subtree(self, unit: Unit):
        """Objects of a unit and of everything below it."""
        return self.filter(unit__path__startswith=unit.path)
