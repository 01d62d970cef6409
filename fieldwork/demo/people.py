"""The demo's people: an account for each leader and cadre, their memberships, and the sign-in table.

Everyone signs in with PASSWORD; an account that exists already under a demo name keeps its own.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from ..models import Membership, Unit
from .texts import BRANCH, GIVEN_NAMES, SURNAMES

if TYPE_CHECKING:
    from .clock import Clock
    from .organisation import DemoUnit

PASSWORD = "demo-pass-2026"


@dataclass
class DemoUser:
    id: int
    username: str
    last_name: str
    first_name: str
    superuser: bool = False
    existing: bool = False
    is_active: bool = True  # as fieldwork.display and fieldwork.ladder read a user

    @property
    def pk(self) -> int:
        return self.id

    def get_username(self) -> str:
        return self.username


@dataclass
class Org:
    units: list[DemoUnit]
    users: list[DemoUser]
    memberships: list[tuple[int, int, str]]  # user id, unit id, role

    def unit(self, code: str) -> DemoUnit:
        return next(u for u in self.units if u.code == code)


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)


def assign_people(*, rng: random.Random, units: list[DemoUnit], existing: dict[str, int], last_id: int) -> Org:
    users: list[DemoUser] = []
    memberships: list[tuple[int, int, str]] = []

    def user(username: str, superuser: bool = False) -> int:
        nonlocal last_id
        last, first = _person(rng)
        if username in existing:  # an account of that name is there already: give it the role
            users.append(DemoUser(existing[username], username, last, first, superuser, existing=True))
            return existing[username]
        last_id += 1
        users.append(DemoUser(last_id, username, last, first, superuser))
        return last_id

    user("admin", superuser=True)
    cadre_no = 0
    for unit in units:
        if unit.kind == Unit.Kind.BRANCH:
            demo = unit.code == BRANCH[1]
            unit.leader = user("leader" if demo else f"leader_{unit.code}")
            unit.party = [user("party"), user("party2")] if demo else [user(f"party_{unit.code}")]
        elif unit.children or unit.kind == Unit.Kind.COMPANY:
            unit.leader = user(f"leader_{unit.code}")
        elif unit.kind != Unit.Kind.DEPARTMENT:
            cadre_no += 1
            unit.cadres = [user("cadre" if cadre_no == 1 else f"cadre{cadre_no}")]
            if unit.code != "bdyx-1" and rng.random() < 0.5:
                unit.receiver = unit.cadres[0]
        if unit.leader:
            memberships.append((unit.leader, unit.id, Membership.Role.LEADER))
        memberships.extend((uid, unit.id, Membership.Role.CADRE) for uid in unit.party + unit.cadres)
        # How often it is visited: grassroots units often, a few rarely (coverage has gaps).
        if not unit.children and unit.depth >= 2:
            unit.weight = 0.04 if rng.random() < 0.08 else 0.3 + rng.random() * 1.7
        elif unit.depth == 2:
            unit.weight = 0.15

    for unit in units:
        chain = []
        node: DemoUnit | None = unit
        while node is not None:
            chain.append(node)
            node = node.parent
        branch = next((a for a in chain if a.kind == Unit.Kind.BRANCH), None)
        unit.leaders = [a.leader for a in chain if a.leader and a.kind != Unit.Kind.COMPANY]
        party = branch.party if branch else []
        unit.recorders = list(dict.fromkeys(unit.leaders + party))
        unit.handlers = unit.cadres or party or unit.leaders[:1]
        authors: list[int] = []
        for uid in unit.cadres:
            authors += [uid] * 6
        if unit.leaders:
            authors += [unit.leaders[0]] * 2 + unit.leaders[1:]
        for uid in party:
            authors += [uid] * 2
        unit.authors = authors
    return Org(units=units, users=users, memberships=memberships)


def org_rows(org: Org, clock: Clock, sink: Any, last_ids: dict[str, int]) -> dict[str, list[tuple]]:
    """The rows of the users (but those that exist already), units and memberships."""
    password = make_password(PASSWORD)  # hashing is slow on purpose: once for everyone
    joined = clock.ts(0)
    null, true, false = sink.NULL, sink.TRUE, sink.FALSE
    users = [
        (
            u.id,
            password,
            true if u.superuser else false,
            u.username,
            u.first_name,
            u.last_name,
            f"{u.username}@example.com",
            true if u.superuser else false,
            true,
            joined,
        )
        for u in org.users
        if not u.existing
    ]
    units = [
        (
            u.id,
            u.name,
            u.code,
            u.kind,
            u.parent.id if u.parent else null,
            u.path,
            u.depth,
            true,
            u.receiver if u.receiver else null,
        )
        for u in org.units
    ]
    memberships = [
        (number, user_id, unit_id, role)
        for number, (user_id, unit_id, role) in enumerate(org.memberships, start=last_ids["membership"] + 1)
    ]
    return {"user": users, "unit": units, "membership": memberships}


# --- the sign-in table

SIGN_INS = ["admin", "leader_jt", "leader", "leader_bdyx", "party", "cadre", "cadre2"]


def sign_in_rows() -> list[tuple[str, str, str]]:
    """(username, role, unit) of the demo accounts to show, read from the database."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=SIGN_INS)}
    roles = {
        m.user_id: m
        for m in Membership.objects.filter(user__username__in=SIGN_INS).select_related("unit").order_by("-unit__path")
    }
    out = []
    for username in SIGN_INS:
        user = users.get(username)
        if user is None:
            continue
        membership = roles.get(user.pk)
        if user.is_superuser:
            out.append((username, "superuser", "all units, /admin/"))
        elif membership is not None:
            out.append((username, membership.role, membership.unit.name))
    return out


def format_table(rows: list[tuple[str, ...]]) -> str:
    """A plain text table that lines up Chinese text (two columns a character) too."""
    widths = [max((_width(row[i]) for row in rows), default=0) for i in range(len(rows[0]))] if rows else []
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
