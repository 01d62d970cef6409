"""Export one unit's subtree as JSON and import it into an empty database: nothing lost or changed."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from fieldwork.backup import subtree_export, subtree_import
from fieldwork.models import Concern, ConcernEvent, Feedback, FollowUpAction, Membership, Unit, Visit
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.factories import FeedbackFactory, FollowUpActionFactory, VisitFactory, category, principle
from tests.operations.digest import subtree_digest


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_database(branch, team_a, sub_a, team_b, other_branch, cadre_a, leader_branch):
    visit = visit_services.visit_record(
        by=cadre_a,
        unit=team_a,
        date=timezone.localdate(),
        form=Visit.Form.SYMPOSIUM,
        people_reached=12,
        summary="座谈：夜班食堂",
        principles=[principle("pragmatism")],
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
    first = visit.concerns.order_by("id").first()
    FollowUpActionFactory(concern=first, owner=cadre_a, outcome="asked the canteen")
    FeedbackFactory(concern=first, recorded_by=leader_branch, comment="满意")
    VisitFactory(unit=other_branch, author=leader_branch, summary="not exported")

    before = io.StringIO()
    subtree_export(unit=branch, stream=before)
    digest_before = subtree_digest("branch")

    call_command("flush", interactive=False, verbosity=0)
    assert Unit.objects.count() == 0 and Concern.objects.count() == 0

    counts = subtree_import(stream=io.StringIO(before.getvalue()))
    assert counts["fieldwork.Visit"] == 1 and counts["fieldwork.Concern"] == 2

    restored_branch = Unit.objects.get(code="branch")
    assert restored_branch.parent is None and restored_branch.path == f"/{restored_branch.pk}/"
    new_team_a, new_sub_a = Unit.objects.get(code="team-a"), Unit.objects.get(code="sub-a")
    assert new_sub_a.path == f"/{restored_branch.pk}/{new_team_a.pk}/{new_sub_a.pk}/"
    assert not Unit.objects.filter(code="other-branch").exists()
    assert Visit.objects.get().summary == "座谈：夜班食堂"
    assert Concern.objects.get(title="夜班没有热饭").raised_by_contact == "139"
    assert ConcernEvent.objects.count() == 2 and FollowUpAction.objects.count() == 1 and Feedback.objects.count() == 1
    assert Membership.objects.filter(user__username="cadre_a", unit__code="team-a").exists()

    assert subtree_digest("branch") == digest_before

    # A concern raised after the import does not collide with an imported reference.
    cadre = restored_branch.memberships.model.objects.get(user__username="cadre_a").user
    new = concern_services.concern_create(
        unit=Unit.objects.get(code="team-a"),
        data=concern_services.ConcernInput(title="New", category=category()),
        by=cadre,
    )
    assert new.reference not in {first.reference}
    assert Concern.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_import_refuses_a_database_that_has_the_units(branch, team_a, tmp_path):
    path = tmp_path / "branch.json"
    call_command("export_unit", "branch", output=str(path), verbosity=0)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="none of its units"):
        call_command("import_unit", str(path))
    assert Unit.objects.filter(code="branch").count() == 1


def test_export_of_an_unknown_unit_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No unit"):
        call_command("export_unit", "nope")
