"""Transfer (转办): a leader moves a concern to another unit of their scope, with a reason, on the
concern's page. It is a versioned change with its own event on the timeline, its actions go along, and
the dashboard's rollups count it in its new unit and no longer in its old one."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from fieldwork import rollups
from fieldwork.errors import ConcernConflict, DomainError
from fieldwork.models import Concern, ConcernEvent, Feedback, UnitMonth, UnitNow
from fieldwork.services import actions as action_services
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import transfers
from tests.factories import category


@pytest.fixture
def concern(clock, team_a, cadre_a):
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=concern_services.ConcernInput(title="Canteen closes early", category=category())
    )
    action_services.action_add(
        concern=concern, by=cadre_a, description="Ask the cook", owner=cadre_a, due_date=clock.today
    )
    concern.refresh_from_db()
    return concern


def _transfer_form(concern, unit, reason="The canteen belongs to Team B"):
    return {"transfer-version": concern.version, "transfer-unit": unit.pk, "transfer-reason": reason}


def test_a_leader_transfers_a_concern_with_its_actions_and_an_event(concern, leader_branch, team_b, cadre_a):
    version = concern.version
    transfers.concern_transfer(
        concern=concern, by=leader_branch, version=version, unit=team_b, reason="Team B runs the canteen"
    )
    concern.refresh_from_db()
    assert concern.unit == team_b and concern.version == version + 1
    assert concern.owner is None  # cadre_a does not work in team B: its leaders assign it there
    assert {action.unit_id for action in concern.actions.all()} == {team_b.pk}
    event = concern.events.order_by("-id").first()
    assert event.kind == ConcernEvent.Kind.TRANSFERRED and event.actor == leader_branch
    assert "Team A → Team B" in event.note and "Team B runs the canteen" in event.note
    assert concern.history.first().unit_id == team_b.pk  # the change history says so too


def test_a_stale_transfer_is_refused(concern, leader_branch, team_b):
    assert concern.version > 1  # the owner's first action took it up
    with pytest.raises(ConcernConflict):
        transfers.concern_transfer(concern=concern, by=leader_branch, version=1, unit=team_b, reason="Why")
    concern.refresh_from_db()
    assert concern.unit.code == "team-a"


@pytest.mark.parametrize(
    ("who", "unit", "reason", "message"),
    [
        ("cadre_a", "team_b", "Why", "Only a leader"),
        ("leader_branch", "other_branch", "Why", "your own units"),
        ("leader_branch", "team_a", "Why", "already"),
        ("leader_branch", "team_b", "  ", "reason"),
    ],
)
def test_refusals(request, concern, who, unit, reason, message):
    version = concern.version
    with pytest.raises(DomainError, match=message):
        transfers.concern_transfer(
            concern=concern,
            by=request.getfixturevalue(who),
            version=concern.version,
            unit=request.getfixturevalue(unit),
            reason=reason,
        )
    concern.refresh_from_db()
    assert concern.unit.code == "team-a" and concern.version == version


def test_a_finished_concern_is_not_transferred(concern, leader_branch, cadre_a, team_b):
    concern_services.concern_withdraw(concern=concern, by=leader_branch, version=concern.version, reason="Twice")
    with pytest.raises(DomainError, match="open or in-progress"):
        transfers.concern_transfer(concern=concern, by=leader_branch, version=concern.version, unit=team_b, reason="x")


def test_rollups_follow_the_transfer(clock, team_a, team_b, branch, cadre_a, cadre_b_other_team, leader_branch):
    """A concern resolved, called back dissatisfied and reopened, then transferred: every figure moves
    from team A to team B, the branch's stay, and a full rebuild agrees with what the upkeep kept."""
    concern = concern_services.concern_raise(
        by=cadre_a, unit=team_a, data=concern_services.ConcernInput(title="Road", category=category())
    )
    concern_services.concern_start(concern=concern, by=cadre_a, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=cadre_a, version=concern.version, resolution="Filled")
    callback_services.feedback_record(
        concern=concern,
        by=leader_branch,
        version=concern.version,
        satisfaction=Feedback.Satisfaction.DISSATISFIED,
        channel=Feedback.Channel.PHONE,
        new_due_date=clock.today + datetime.timedelta(days=20),
    )
    concern.refresh_from_db()
    month = datetime.date(clock.today.year, clock.today.month, 1)
    assert UnitMonth.objects.get(unit=team_a, month=month).concerns_raised == 1
    transfers.concern_transfer(concern=concern, by=leader_branch, version=concern.version, unit=team_b, reason="Theirs")
    team_a_row = UnitMonth.objects.filter(unit=team_a, month=month).first()
    assert team_a_row is None or (team_a_row.concerns_raised, team_a_row.callbacks) == (0, 0)
    team_b_row = UnitMonth.objects.get(unit=team_b, month=month)
    assert (team_b_row.concerns_raised, team_b_row.callbacks) == (1, 1)
    assert UnitMonth.objects.get(unit=branch, month=month).concerns_raised == 1
    assert not UnitNow.objects.filter(unit=team_a).exclude(open_by_due={}).exists()
    assert UnitNow.objects.get(unit=team_b).open_by_due
    kept = rollups.stored()
    call_command("rebuild_rollups", verbosity=0)
    assert rollups.stored() == kept == rollups.recount()


# --- the concern page ------------------------------------------------------------------------------


def test_the_concern_page_offers_the_transfer_to_leaders_only(client_for, concern, leader_branch, cadre_a):
    page = client_for(leader_branch).get(concern.get_absolute_url()).content.decode()
    assert 'data-step="transfer"' in page
    assert reverse("fieldwork:concern-transfer", args=[concern.pk]) in page
    page = client_for(cadre_a).get(concern.get_absolute_url()).content.decode()
    assert 'data-step="transfer"' not in page


def test_a_leader_transfers_from_the_page(client_for, concern, leader_branch, team_b):
    client = client_for(leader_branch)
    url = reverse("fieldwork:concern-transfer", args=[concern.pk])
    response = client.post(url, _transfer_form(concern, team_b))
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.unit == team_b
    page = client.get(concern.get_absolute_url()).content.decode()
    assert "Transferred to another unit" in page
    # the same form again: the page has moved on, so the person is told, and nothing changes twice
    again = client.post(url, _transfer_form(Concern(version=1), team_b), follow=True).content.decode()
    assert "Someone else changed this concern" in again
    assert concern.events.filter(kind=ConcernEvent.Kind.TRANSFERRED).count() == 1


@pytest.mark.parametrize(
    ("unit", "reason", "field", "text"),
    [
        ("other_branch", "Why", "unit", "Select a valid choice"),
        ("team_a", "Why", "unit", "already in this unit"),
        ("team_b", "", "reason", "This field is required"),
    ],
)
def test_refusals_are_shown_beside_the_field(request, client_for, concern, leader_branch, unit, reason, field, text):
    version = concern.version
    response = client_for(leader_branch).post(
        reverse("fieldwork:concern-transfer", args=[concern.pk]),
        _transfer_form(concern, request.getfixturevalue(unit), reason),
    )
    assert response.status_code == 200
    form = response.context["step_forms"]["transfer"]
    assert any(text in error for error in form.errors[field])
    concern.refresh_from_db()
    assert concern.unit.code == "team-a" and concern.version == version


def test_outside_scope_is_404_wrong_role_403_get_405(client_for, concern, leader_other_branch, cadre_a, team_b):
    url = reverse("fieldwork:concern-transfer", args=[concern.pk])
    assert client_for(leader_other_branch).post(url, _transfer_form(concern, team_b)).status_code == 404
    assert client_for(cadre_a).post(url, _transfer_form(concern, team_b)).status_code == 403
    assert client_for(cadre_a).get(url).status_code == 405
    concern.refresh_from_db()
    assert concern.unit.code == "team-a"
