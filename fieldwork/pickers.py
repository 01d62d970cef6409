"""The pickers behind every field that chooses a person: kinds of people, each one registered entry.

A kind says whom a user may pick and how they are found. The endpoint (views/people.py), the form
widget (forms/people.py) and its no-JavaScript reload all go through `Kind.find` and `Kind.chosen`,
so a later kind (workers known by name, an offline list of a cadre's own colleagues) is one more
registered Kind here, with nothing to change in the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, Expression, Min, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from . import scope
from .display import name_of
from .inputs import object_id
from .models import Membership, PersonKey
from .name_keys import query_key

LIMIT = 20  # matches per query: the list is for choosing, typing more narrows it
QUERY_LENGTH = 50

User = get_user_model()


@dataclass(frozen=True)
class Choice:
    """One person as a picker lists them: the value a form sends, the name as people read it, and a
    hint that tells two people of the same name apart (their unit)."""

    value: int
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Matches:
    query: str
    choices: list[Choice] = field(default_factory=list)
    more: bool = False  # more than LIMIT matched

    @property
    def message(self) -> str:
        """What the list says besides its choices, in the page's language."""
        if not self.query:
            return _("Type a name, part of it or its pinyin initials (王卫国: wwg).")
        if not self.choices:
            return _("Nobody you may choose matches “%(query)s”.") % {"query": self.query}
        if self.more:
            return _("The first %(count)d matches: type more of the name to narrow them.") % {"count": LIMIT}
        return ""


@dataclass(frozen=True)
class Kind:
    """A kind of people to pick. `people(user, params)` is whom this user may pick here (None: the
    parameters name something outside their scope, a 404); `hint(outer, user)` an expression giving a
    person's hint, read in the same query as their name (`outer` names the person's id there), shown
    to `user`: it may name only what they may see."""

    name: str
    people: Callable[[object, Mapping[str, str]], QuerySet | None]
    hint: Callable[[str, object], Expression]

    def pickable(self, *, user, params: Mapping[str, str]) -> QuerySet:
        people = self.people(user, params)
        if people is None:
            raise Http404("outside the user's scope")
        return people

    def find(self, *, user, query: str, params: Mapping[str, str]) -> Matches:
        """At most LIMIT people this user may pick whose name, pinyin or initials begin with the
        query (or a later part of the name: 卫国 finds 王卫国): whole-name matches first, then by name.
        Two queries: the matches (the prefix index of PersonKey), then the hints of those shown."""
        people = self.pickable(user=user, params=params)
        key = query_key(query)
        if not key:
            return Matches(query=query)
        keys = PersonKey.objects.filter(key__startswith=key, user__in=people)
        rows = list(
            keys.values("user", "user__first_name", "user__last_name", "user__username")
            .annotate(rank=Min("start"))
            .order_by("rank", "user__last_name", "user__first_name", "user")[: LIMIT + 1]
        )
        more, rows = len(rows) > LIMIT, rows[:LIMIT]
        # the hints of the twenty shown only: in the query above they would be read for every match
        ids = [row["user"] for row in rows]
        hints = (
            dict(User.objects.filter(pk__in=ids).annotate(hint=self.hint("pk", user)).values_list("pk", "hint"))
            if ids
            else {}
        )
        choices = [
            Choice(
                row["user"],
                name_of(row["user__first_name"], row["user__last_name"], row["user__username"]),
                hints.get(row["user"]) or "",
            )
            for row in rows
        ]
        return Matches(query=query, choices=choices, more=more)

    def chosen(self, *, user, ids: Iterable, params: Mapping[str, str], people: QuerySet | None = None) -> list[Choice]:
        """The people a form holds (ids as sent), those this user may pick (or those of `people`: the
        field's own queryset, which a form has at hand), in the order given."""
        wanted = [pk for pk in (object_id(value) for value in ids) if pk is not None]
        if not wanted:
            return []
        people = self.people(user, params) if people is None else people
        if people is None:
            return []
        found = self.choices_of(people.filter(pk__in=wanted), user=user)
        return [found[pk] for pk in dict.fromkeys(wanted) if pk in found]

    def choices_of(self, rows: QuerySet, *, user) -> dict:
        """Each of `rows` (this kind's people) as the picker shows it, by primary key."""
        rows = rows.annotate(hint=self.hint("pk", user))
        return {
            pk: Choice(pk, name_of(first, last, username), hint or "")
            for pk, first, last, username, hint in rows.values_list("pk", "first_name", "last_name", "username", "hint")
        }


KINDS: dict[str, Kind] = {}
DEFAULT_KIND = "colleague"


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_get(name: str | None) -> Kind | None:
    return KINDS.get(name or DEFAULT_KIND)


# --- colleagues: people who hold a membership in a unit the user may see -------------------------


def unit_people(unit) -> QuerySet:
    """People who work in the unit or a unit above it: who may own a concern or an action there."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return User.objects.filter(is_active=True).filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), unit__in=ids, unit__active=True))
    )


def colleagues(user, params: Mapping[str, str]) -> QuerySet | None:
    """Active people with a membership in an active unit the user may see; with `within=<unit id>`,
    those who work in that unit or above it (a concern's owners), the unit being one the user sees."""
    within = params.get("within")
    if within:
        unit = scope.visible_units(user).filter(pk=object_id(within) or 0).first()
        return unit_people(unit) if unit is not None else None
    units = scope.visible_units(user).filter(active=True)
    return User.objects.filter(is_active=True).filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), unit__in=units))
    )


def unit_hint(outer: str, user) -> Subquery:
    """The name of the person's first unit (highest in the tree) among those the user may see, to tell
    namesakes apart (a unit outside the user's scope is never named)."""
    first = Membership.objects.filter(
        user=OuterRef(outer), unit__in=scope.visible_units(user).filter(active=True)
    ).order_by("unit__depth", "unit__path")
    return Subquery(first.values("unit__name")[:1])


register(Kind(name="colleague", people=colleagues, hint=unit_hint))


# --- workers: people known by name in the units the user may see (models.Person) ----------------


def workers(user, params: Mapping[str, str]) -> QuerySet | None:
    """Active workers of active units the user may see; with `within=<unit id>`, those of that unit
    (a concern's or a visit's), the unit being one the user sees (else None: a 404)."""
    from .models import Person

    people = Person.objects.visible_to(user).filter(active=True, unit__active=True)
    within = params.get("within")
    if within:
        unit = scope.visible_units(user).filter(pk=object_id(within) or 0).first()
        return people.filter(unit=unit) if unit is not None else None
    return people


@dataclass(frozen=True)
class WorkerKind(Kind):
    """Workers are rows of models.Person, not users: their keys live on the row (name_keys.worker_keys),
    matched as ` key` inside the framed list, and the hint is their unit, read in the same query."""

    def find(self, *, user, query: str, params: Mapping[str, str]) -> Matches:
        people = self.pickable(user=user, params=params)
        key = query_key(query)
        if not key:
            return Matches(query=query)
        rows = list(
            people.filter(search_keys__contains=" " + key)
            .order_by("name", "pk")
            .values_list("pk", "name", "unit__name")[: LIMIT + 1]
        )
        more, rows = len(rows) > LIMIT, rows[:LIMIT]
        return Matches(query=query, choices=[Choice(pk, name, hint) for pk, name, hint in rows], more=more)

    def choices_of(self, rows: QuerySet, *, user) -> dict:
        return {pk: Choice(pk, name, hint) for pk, name, hint in rows.values_list("pk", "name", "unit__name")}


register(WorkerKind(name="worker", people=workers, hint=unit_hint))
