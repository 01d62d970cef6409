"""The dashboard tests' stories: a quarter of visits and concerns told through the services, and a
ladder of chased concerns; MIN_CASES lowered so that small stories still compare."""

import datetime

import pytest

from fieldwork import rollups
from fieldwork.models import Concern, Membership, Visit
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import visits as visit_services
from tests.dashboard.figure_helpers import at
from tests.dashboard.page_helpers import extension_decided, put_under_supervision, raised_concern
from tests.factories import MembershipFactory, UserFactory, category, principle


@pytest.fixture
def _min_cases(settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "MIN_CASES": 3, "RESPONSE_LIMIT_DAYS": 2}


@pytest.fixture
def story(clock, company, branch, team_a, sub_a, team_b, other_branch):
    cadre = UserFactory(username="story_cadre")
    leader = UserFactory(username="story_leader")
    caller = UserFactory(username="story_caller")
    MembershipFactory(user=cadre, unit=company, role=Membership.Role.CADRE)
    MembershipFactory(user=leader, unit=company, role=Membership.Role.LEADER)
    MembershipFactory(user=caller, unit=company, role=Membership.Role.CADRE)
    safety, pay, other = category("safety"), category("pay_benefits"), category("other")
    pragmatism, integrity = principle("pragmatism"), principle("integrity")
    c = {}

    def raise_(name, unit, when, cat, principles=(), priority=Concern.Priority.NORMAL, due=None):
        clock.now = when
        data = concern_services.ConcernInput(title=name, category=cat, principles=list(principles), priority=priority)
        c[name] = concern_services.concern_raise(by=cadre, unit=unit, data=data)
        if due:
            Concern.objects.filter(pk=c[name].pk).update(due_date=due)  # whatever the calendar says
        c[name].refresh_from_db()

    def do(name, when, service, **kwargs):
        clock.now = when
        concern = c[name]
        concern.refresh_from_db()
        service(concern=concern, version=concern.version, **kwargs)

    def callback(name, when, satisfaction, **kwargs):
        do(
            name,
            when,
            callback_services.feedback_record,
            by=caller,
            satisfaction=satisfaction,
            channel="phone",
            **kwargs,
        )

    raise_("C7", sub_a, at(12, 20, year=2025), safety, due=datetime.date(2026, 1, 19))
    do("C7", at(12, 21, year=2025), concern_services.concern_start, by=cadre)
    raise_("C1", team_b, at(1, 5, 10), safety, [pragmatism], due=datetime.date(2026, 2, 4))
    do("C1", at(1, 6, 10), concern_services.concern_start, by=cadre)
    raise_("C2", sub_a, at(1, 10), safety, due=datetime.date(2026, 2, 9))
    do("C2", at(1, 15), concern_services.concern_start, by=cadre)
    do("C1", at(1, 20, 10), concern_services.concern_resolve, by=cadre, resolution="Fixed")
    callback("C1", at(1, 25, 10), "satisfied")
    do("C7", at(1, 30), concern_services.concern_resolve, by=cadre, resolution="Fixed")
    raise_("C3", team_a, at(2, 1), pay, due=datetime.date(2026, 3, 3))
    callback("C7", at(2, 2), "dissatisfied", new_due_date=datetime.date(2026, 3, 4))
    raise_("C4", team_b, at(2, 10), safety, priority=Concern.Priority.URGENT, due=datetime.date(2026, 2, 17))
    do("C4", at(2, 10), concern_services.concern_start, by=cadre)
    do("C4", at(2, 10), concern_services.concern_assess, by=leader, solvability=Concern.Solvability.POLICY)
    raise_("C5", team_b, at(2, 15), other)
    do("C5", at(2, 16), concern_services.concern_withdraw, by=leader, reason="Raised twice")
    do("C4", at(2, 20), concern_services.concern_resolve, by=cadre, resolution="Explained the policy")
    do("C7", at(2, 20), concern_services.concern_resolve, by=cadre, resolution="Fixed for good")
    callback("C7", at(2, 25), "satisfied")
    raise_("C6", other_branch, at(3, 5), other, due=datetime.date(2026, 4, 4))
    do("C6", at(3, 6), concern_services.concern_start, by=cadre)
    do("C6", at(3, 8), concern_services.concern_resolve, by=cadre, resolution="Done")
    callback("C6", at(3, 9), "basically")
    do("C2", at(3, 10), concern_services.concern_resolve, by=cadre, resolution="Done")
    callback("C2", at(4, 2), "dissatisfied", new_due_date=datetime.date(2026, 5, 2))
    raise_("C9", team_a, at(4, 10), pay)
    raise_("C8", team_a, at(4, 14), pay)
    clock.now = at(4, 15, 12)
    for unit, day, people, tags in [
        (sub_a, datetime.date(2026, 1, 10), 5, [pragmatism]),
        (sub_a, datetime.date(2026, 2, 3), 3, [pragmatism, integrity]),
        (team_a, datetime.date(2026, 3, 1), 2, []),
        (team_b, datetime.date(2025, 12, 30), 4, []),
        (other_branch, datetime.date(2026, 3, 31), 1, []),
    ]:
        visit_services.visit_record(
            by=cadre,
            unit=unit,
            date=day,
            form=Visit.Form.HOME_VISIT,
            people_reached=people,
            principles=tags,
            summary="Canteen",
            confirmation_note="Back-dated on purpose: the test's story",
        )
    assert rollups.stored() == rollups.recount()
    return c


@pytest.fixture
def chased(leader_company, leader_branch, branch, team_a, sub_a, team_b):
    """In Q3 (today 2026-08-20): one concern of Sub A came under supervision in July, one of Team B in
    June (still open); one of Team B was extended and one of Team A refused an extension in August."""
    rollups.rebuild()
    july = raised_concern(leader_company, sub_a, "Supervised in July")
    put_under_supervision(july, datetime.date(2026, 6, 30))
    june = raised_concern(leader_company, team_b, "Supervised in June")
    put_under_supervision(june, datetime.date(2026, 6, 1))
    extended = raised_concern(leader_company, team_b, "Extended in August")
    extension_decided(extended, owner=leader_company, leader=leader_branch, approve=True)
    refused = raised_concern(leader_company, team_a, "Refused in August")
    extension_decided(refused, owner=leader_company, leader=leader_branch, approve=False)
    raised_concern(leader_company, team_a, "Neither")
    return {"july": july, "june": june, "extended": extended, "refused": refused}
