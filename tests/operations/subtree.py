"""A unit subtree with one of everything export_unit carries, and a unit beside it that stays out."""

from __future__ import annotations

import datetime
import importlib

from django.utils import timezone

from fieldwork.models import ExtensionRequest, Membership, Unit, Visit
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.factories import (
    FeedbackFactory,
    FollowUpActionFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    VisitFactory,
    category,
    principle,
)


def reseed() -> None:
    """After a flush: the reference data every installation has from its migrations."""
    from django.apps import apps

    importlib.import_module("fieldwork.migrations.0002_seed_principles_categories").seed(apps, None)


def fill(*, branch: Unit, team_a: Unit, sub_a: Unit, other_branch: Unit, cadre_a, leader_branch) -> None:
    branch.receiver = leader_branch
    branch.save()
    MembershipFactory(user=UserFactory(username="wang_sub", email="w@example.com"), unit=sub_a)
    visit = visit_services.visit_record(
        by=cadre_a,
        unit=team_a,
        date=timezone.localdate(),
        form=Visit.Form.SYMPOSIUM,
        location="食堂",
        people_reached=12,
        summary="座谈：夜班食堂",
        principles=[principle("pragmatism"), principle("learning")],
        concerns=[
            concern_services.ConcernInput(
                title="夜班没有热饭",
                category=category("daily_hardship"),
                raised_by_name="刘师傅",
                raised_by_contact="139",
            ),
            concern_services.ConcernInput(title="Boots", category=category("safety"), anonymous=True),
        ],
    )
    visit.cadres.add(leader_branch)
    first, second = visit.concerns.order_by("id")
    first.principles.add(principle("integrity"))
    action = FollowUpActionFactory(concern=first, owner=cadre_a, outcome="asked the canteen")
    action.principles.add(principle("pragmatism"))
    FeedbackFactory(concern=first, recorded_by=leader_branch, comment="满意")
    ExtensionRequest.objects.create(
        concern=second,
        requested_by=cadre_a,
        due_date_before=second.due_date,
        requested_due_date=second.due_date + datetime.timedelta(days=10),
        reason="parts on order",
    )
    VisitFactory(unit=sub_a, author=UserFactory(username="author_sub"), summary="substation yard")
    # beside the subtree: never exported
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, unit=other_branch, role=Membership.Role.LEADER)
    VisitFactory(unit=other_branch, author=outsider, summary="not exported")
    UnitFactory(code="beside", parent=other_branch)
