"""The demo organisation: the essay's power-supply branch, grown with more stations and branches.

Units are plain objects with their ids and materialised paths made here, before any row is written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..models import Unit
from .people import Org, assign_people
from .texts import BRANCH, BRANCH_PLACES, COMPANY, DEMO_GROUPS, OFFICES, PLACE_A, PLACE_B, STATION_TEAMS, WORKSHOP_KINDS


@dataclass(eq=False)
class DemoUnit:
    name: str
    code: str
    kind: str
    parent: DemoUnit | None
    id: int = 0
    path: str = ""
    depth: int = 0
    receiver: int | None = None
    children: list[DemoUnit] = field(default_factory=list)
    leader: int | None = None  # the user leading this unit (company, branches, workshops, stations)
    cadres: list[int] = field(default_factory=list)  # cadres of this grassroots unit
    party: list[int] = field(default_factory=list)  # a branch's political cadres
    weight: float = 0.0  # how often the unit is visited; 0: never
    authors: list[int] = field(default_factory=list)  # who visits it, repeated by how often
    leaders: list[int] = field(default_factory=list)  # leaders over it, nearest first
    recorders: list[int] = field(default_factory=list)  # who may record callbacks
    handlers: list[int] = field(default_factory=list)  # who is assigned its public concerns


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_A) + rng.choice(PLACE_B)


def build_org(
    *, rng: random.Random, target_units: int, existing_users: dict[str, int], last_user_id: int, last_unit_id: int
) -> Org:
    """The demo organisation grown to about `target_units` units, with ids, paths and people.

    The essay's branch comes first and keeps its codes and sign-ins at any size; more supply
    stations fill it up to `branch_cap` units, then more branches are opened under the company.
    """
    units: list[DemoUnit] = []

    def add(name: str, code: str, kind: str, parent: DemoUnit | None) -> DemoUnit:
        unit = DemoUnit(name, code, kind, parent)
        if parent is not None:
            parent.children.append(unit)
        units.append(unit)
        return unit

    company = add(COMPANY[0], COMPANY[1], Unit.Kind.COMPANY, None)
    branch = add(BRANCH[0], BRANCH[1], Unit.Kind.BRANCH, company)
    for name, code in OFFICES:
        add(name, code, Unit.Kind.DEPARTMENT, branch)
    for name, code, kind, children in DEMO_GROUPS:
        group = add(name, code, kind, branch)
        for i, (child_name, child_kind) in enumerate(children, start=1):
            add(child_name, f"{code}-{i}", child_kind, group)

    branch_cap = 160
    current, size, group_no = branch, len(units) - 1, 0
    while len(units) < target_units:
        if size >= branch_cap:
            n = sum(1 for u in units if u.kind == Unit.Kind.BRANCH) + 1
            place = BRANCH_PLACES[(n - 2) % len(BRANCH_PLACES)]
            again = (n - 2) // len(BRANCH_PLACES)
            current = add(f"{place}{'' if not again else again + 1}供电分公司", f"b{n}", Unit.Kind.BRANCH, company)
            size, group_no = 1, 0
            for name, code in OFFICES:
                if len(units) < target_units:
                    add(name, f"b{n}-{code[3:]}", Unit.Kind.DEPARTMENT, current)
                    size += 1
            continue
        group_no += 1
        code = f"gd-s{group_no}" if current is branch else f"{current.code}-w{group_no}"
        k = rng.randint(2, 5)
        if current is branch or rng.random() < 0.45:
            group = add(f"{_place(rng)}供电所", code, Unit.Kind.STATION, current)
            child_names = [(name, Unit.Kind.TEAM) for name in STATION_TEAMS[:k]]
        else:
            name, child_kind, names = WORKSHOP_KINDS[rng.randrange(len(WORKSHOP_KINDS))]
            group = add(name, code, Unit.Kind.WORKSHOP, current)
            if child_kind == "substation":
                child_names = [
                    (f"{rng.choice(['35', '110', '220'])}kV{_place(rng)}变电站", Unit.Kind.SUBSTATION) for _ in range(k)
                ]
            else:
                child_names = [(names[i], Unit.Kind.TEAM) for i in range(k)]
        size += 1
        for i, (child_name, child_kind) in enumerate(child_names, start=1):
            if len(units) >= target_units:
                break
            add(child_name, f"{code}-{i}", child_kind, group)
            size += 1

    for number, unit in enumerate(units, start=last_unit_id + 1):  # parents come before children
        unit.id = number
        unit.path = (unit.parent.path if unit.parent else "/") + f"{number}/"
        unit.depth = unit.parent.depth + 1 if unit.parent else 0
    return assign_people(rng=rng, units=units, existing=existing_users, last_id=last_user_id)
