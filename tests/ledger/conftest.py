"""A month of visits and concerns across a subtree, for the ledger."""

import datetime

import pytest

from fieldwork.models import Concern
from tests.factories import ConcernFactory, FeedbackFactory, FollowUpActionFactory, VisitFactory
from tests.ledger.helpers import CONTACT, moment


@pytest.fixture
def ledger_data(team_a, sub_a, team_b, cadre_a):
    visit = VisitFactory(
        unit=team_a, author=cadre_a, date=datetime.date(2026, 7, 3), location="Canteen", summary="Heard the canteen"
    )
    visit.cadres.add(cadre_a)
    VisitFactory(unit=sub_a, author=cadre_a, date=datetime.date(2026, 7, 20), location="Sub A yard")
    VisitFactory(unit=team_b, author=cadre_a, date=datetime.date(2026, 7, 5), location="Team B hall")
    VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 6, 30), location="June office")
    named = ConcernFactory(
        unit=team_a,
        title="Flickering lights",
        raised_at=moment(10),
        raised_by_name="Zhao Min",
        raised_by_contact=CONTACT,
        owner=cadre_a,
        due_date=datetime.date(2026, 8, 9),
    )
    FollowUpActionFactory(concern=named, owner=cadre_a, description="Replace the ballast", outcome="Replaced")
    FeedbackFactory(concern=named, date=datetime.date(2026, 7, 25), comment="Much better now")
    ConcernFactory(
        unit=sub_a, title="Secret matter", raised_at=moment(12), raised_by_name="Hidden Person", anonymous=True
    )
    ConcernFactory(unit=team_a, title="Carried from May", raised_at=moment(5, month=5))
    ConcernFactory(
        unit=team_a,
        title="Closed in May",
        raised_at=moment(6, month=5),
        status=Concern.Status.CLOSED,
        resolution="Done",
        resolved_at=moment(20, month=5),
    )
    ConcernFactory(unit=team_b, title="Other team matter", raised_at=moment(11))
    ConcernFactory(unit=team_a, title="Raised in August", raised_at=moment(2, month=8))
    return named
