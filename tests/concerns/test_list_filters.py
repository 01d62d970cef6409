"""Filtering the concern list, and the filters the dashboard's links carry."""

import datetime

import pytest
from django.utils import timezone

from fieldwork.models import Concern
from tests.concerns.list_helpers import LIST, references
from tests.factories import ConcernFactory, category, principle


def _rows(client, params):
    response = client.get("/concerns/", params)
    assert response.status_code == 200
    return [row.concern if hasattr(row, "concern") else row for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"unit": "team_a"}, {"FW-2026-000001", "FW-2026-000002"}),  # the subtree: sub_a too
        ({"unit": "sub_a"}, {"FW-2026-000002"}),
        ({"unit": "team_b"}, {"FW-2026-000003"}),
        ({"status": "in_progress"}, {"FW-2026-000003"}),
        ({"owner": "cadre_a"}, {"FW-2026-000001"}),
        ({"owner": "null"}, {"FW-2026-000002", "FW-2026-000003"}),
        ({"category": "working_conditions"}, {"FW-2026-000002"}),
        ({"principle": "pragmatism"}, {"FW-2026-000001"}),
        ({"priority": "urgent"}, {"FW-2026-000002"}),
        ({"overdue": "yes"}, {"FW-2026-000002"}),
        ({"overdue": "no"}, {"FW-2026-000001", "FW-2026-000003"}),
        ({"source": "public"}, {"FW-2026-000002"}),
        ({"q": "000003"}, {"FW-2026-000003"}),
        ({"q": "flickering"}, {"FW-2026-000002"}),
        ({"q": "WEAR OUT"}, {"FW-2026-000003"}),
        ({"q": "   "}, {"FW-2026-000001", "FW-2026-000002", "FW-2026-000003"}),
        # Out of scope or nonsense: the field is ignored (and flagged), the scope still holds.
        ({"unit": "other_branch"}, {"FW-2026-000001", "FW-2026-000002", "FW-2026-000003"}),
        ({"status": "deleted"}, {"FW-2026-000001", "FW-2026-000002", "FW-2026-000003"}),
    ],
)
def test_filters(client_for, spread, leader_branch, query, expected, request):
    params = {}
    for key, value in query.items():
        if key == "unit" or (key == "owner" and value != "null"):
            value = request.getfixturevalue(value).pk
        elif key == "category":
            value = category(value).pk
        elif key == "principle":
            value = principle(value).pk
        params[key] = value
    response = client_for(leader_branch).get(LIST, params)
    assert response.status_code == 200
    assert set(references(response)) == expected


def test_dashboard_link_filters(client_for, leader_branch, team_a, cadre_a):
    """The parameters the dashboard's figures link with: date ranges, several statuses, callbacks."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import ConcernFactory, FeedbackFactory

    when = timezone.make_aware(dt.datetime(2026, 7, 10, 9))
    july = ConcernFactory(unit=team_a, raised_at=when, status=Concern.Status.IN_PROGRESS)
    june = ConcernFactory(unit=team_a, raised_at=when - dt.timedelta(days=30))
    done = ConcernFactory(
        unit=team_a,
        raised_at=when,
        status=Concern.Status.CLOSED,
        resolution="Fixed",
        resolved_at=when + dt.timedelta(days=3),
    )
    FeedbackFactory(concern=done, date=dt.date(2026, 7, 20), satisfaction="dissatisfied", recorded_by=leader_branch)
    client = client_for(leader_branch)

    def listed(params):
        return set(_rows(client, params))

    assert listed({"raised_from": "2026-07-01", "raised_to": "2026-07-31"}) == {july, done}
    assert listed({"status": ["in_progress", "closed"]}) == {july, done}
    assert listed({"resolved_from": "2026-07-01", "resolved_to": "2026-07-31"}) == {done}
    assert listed({"callback_from": "2026-07-01", "callback_to": "2026-07-31", "satisfaction": "dissatisfied"}) == {
        done
    }
    assert listed({"callback_from": "2026-08-01"}) == set()
    assert june not in listed({"raised_from": "2026-07-01"})


def test_supervision_and_extension_filters(client_for, leader_branch, team_a, cadre_a):
    """The dashboard's supervision and extension figures link here: supervised in a range of days,
    extended (ever, or by an approval in a range of days); refused requests do not count."""
    from fieldwork.models import ExtensionRequest

    def moment(month, day):
        return timezone.make_aware(datetime.datetime(2026, month, day, 9))

    supervised = ConcernFactory(unit=team_a, supervised_at=moment(7, 10), title="Supervised in July")
    earlier = ConcernFactory(unit=team_a, supervised_at=moment(6, 30), title="Supervised in June")
    extended = ConcernFactory(unit=team_a, extensions_granted=1, title="Extended")
    refused = ConcernFactory(unit=team_a, title="Refused")
    plain = ConcernFactory(unit=team_a, title="Plain")
    for concern, status in ((extended, ExtensionRequest.Status.APPROVED), (refused, ExtensionRequest.Status.REFUSED)):
        ExtensionRequest.objects.create(
            concern=concern,
            requested_by=cadre_a,
            due_date_before=concern.due_date,
            requested_due_date=concern.due_date + datetime.timedelta(days=10),
            reason="Parts",
            status=status,
            decided_by=leader_branch,
            decided_at=moment(7, 20),
        )
    client = client_for(leader_branch)

    def listed(params):
        return set(_rows(client, params))

    assert listed({"supervised": "1"}) == {supervised, earlier}
    assert listed({"supervised_from": "2026-07-01", "supervised_to": "2026-07-31"}) == {supervised}
    assert listed({"supervised_to": "2026-06-30"}) == {earlier}
    assert listed({"extended": "1"}) == {extended}
    assert listed({"extended": "0"}) == {supervised, earlier, refused, plain}
    assert listed({"extended_from": "2026-07-01", "extended_to": "2026-07-31"}) == {extended}
    assert listed({"extended_from": "2026-07-21"}) == set()
    page = client.get(LIST, {"extended": "1"}).content.decode()
    assert "data-extended" in page
