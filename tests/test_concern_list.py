"""The concern list (filters, sorting, keyset pages, constant queries) and raising a concern outside a visit."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork import paging, workdays
from fieldwork.models import Concern, ConcernEvent, Membership
from tests.factories import ConcernFactory, MembershipFactory, category, principle

LIST = reverse("fieldwork:concern-list")
NEW = reverse("fieldwork:concern-create")


def references(response) -> list[str]:
    """The references listed on the page, in order."""
    return re.findall(r'href="/concerns/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def spread(team_a, sub_a, team_b, other_branch, cadre_a):
    """One concern in each unit, with distinct traits to filter on."""
    today = timezone.localdate()
    made = {
        "a": ConcernFactory(reference="FW-2026-000001", unit=team_a, owner=cadre_a, title="Canteen hours"),
        "sub": ConcernFactory(
            reference="FW-2026-000002",
            unit=sub_a,
            title="Flickering lights",
            priority=Concern.Priority.URGENT,
            due_date=workdays.add_working_days(today, -4),
            category=category("working_conditions"),
            source=Concern.Source.PUBLIC,
        ),
        "b": ConcernFactory(
            reference="FW-2026-000003",
            unit=team_b,
            title="Boots",
            description="Work boots wear out in a month.",
            status=Concern.Status.IN_PROGRESS,
        ),
        "other": ConcernFactory(reference="FW-2026-000004", unit=other_branch, title="Dispatch desk"),
    }
    made["a"].principles.set([principle("pragmatism")])
    return made


def test_anonymous_is_sent_to_login(client):
    for page in (LIST, NEW):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_post_on_the_list_is_405(client_for, cadre_a):
    assert client_for(cadre_a).post(LIST).status_code == 405


def test_list_is_scoped(client, spread, cadre_a, cadre_b_other_team, leader_branch, leader_other_branch):
    expected = {
        cadre_a: {"FW-2026-000001", "FW-2026-000002"},
        cadre_b_other_team: {"FW-2026-000003"},
        leader_branch: {"FW-2026-000001", "FW-2026-000002", "FW-2026-000003"},
        leader_other_branch: {"FW-2026-000004"},
    }
    for user, refs in expected.items():
        client.force_login(user)
        assert set(references(client.get(LIST))) == refs, user


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


@pytest.mark.clock(2026, 6, 15)  # Monday, a working day
def test_rows_show_the_public_badge_and_overdue_days(client_for, spread, leader_branch):
    assert spread["sub"].due_date == datetime.date(2026, 6, 9)  # Tuesday: 4 working days before Monday 15th
    page = client_for(leader_branch).get(LIST).content.decode()
    assert page.count("data-public-badge") == 1
    assert "4 working days overdue" in page
    assert "3 concerns" in page


def test_sorting_by_a_whitelist(client_for, team_a, cadre_a):
    today = timezone.localdate()
    now = timezone.now()
    rows = [
        ("FW-2026-000011", "normal", "resolved", 20, 3),
        ("FW-2026-000012", "urgent", "open", 5, 2),
        ("FW-2026-000013", "long_term", "in_progress", 40, 1),
    ]
    for reference, priority, status, due, age in rows:
        ConcernFactory(
            reference=reference,
            unit=team_a,
            priority=priority,
            status=status,
            resolution="Done." if status == "resolved" else "",
            due_date=today + datetime.timedelta(days=due),
            raised_at=now - datetime.timedelta(days=age),
        )
    client = client_for(cadre_a)

    def order(sort):
        return [ref[-2:] for ref in references(client.get(LIST, {"sort": sort}))]

    assert order("raised") == ["13", "12", "11"]
    assert order("-raised") == ["11", "12", "13"]
    assert order("due") == ["12", "11", "13"]
    assert order("-due") == ["13", "11", "12"]
    assert order("status") == ["12", "13", "11"]
    assert order("priority") == ["12", "11", "13"]
    # Anything else is the default order, never handed to order_by.
    for bad in ("title", "-pk", "raised_at", "unit__name", "1; DROP TABLE", ""):
        response = client.get(LIST, {"sort": bad})
        assert response.status_code == 200
        assert [ref[-2:] for ref in references(response)] == ["13", "12", "11"]


@pytest.mark.parametrize("sort", ["raised", "-raised", "due", "-due", "status", "priority", "-priority"])
def test_keyset_pages_cover_every_row_once(client_for, team_a, cadre_a, settings, sort):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 3}
    today = timezone.localdate()
    now = timezone.now()
    statuses = ["open", "in_progress", "resolved"]
    for n in range(8):
        status = statuses[n % 3]
        ConcernFactory(
            unit=team_a,
            priority=["urgent", "normal", "long_term"][n % 2],
            status=status,
            resolution="Done." if status == "resolved" else "",
            due_date=today + datetime.timedelta(days=n % 3),  # ties on the sort key
            raised_at=now - datetime.timedelta(hours=n // 2),
        )
    client = client_for(cadre_a)
    seen, address, pages = [], f"{LIST}?sort={sort}", 0
    while True:
        response = client.get(address)
        pages += 1
        seen += references(response)
        found = re.search(r'href="\?([^"]+)" rel="next"', response.content.decode())
        if not found:
            break
        address = f"{LIST}?" + found.group(1).replace("&amp;", "&")
        assert "page=" not in address and "after=" in address
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert "First page" in response.content.decode()


def test_a_bad_cursor_is_the_first_page(client_for, spread, cadre_a):
    client = client_for(cadre_a)
    first = references(client.get(LIST))
    for cursor in ("garbage", "2026-01-01~x", "~", "2026-13-45T00:00:00+00:00~1", "2026-01-01T00:00:00~1"):
        response = client.get(LIST, {"after": cursor})
        assert response.status_code == 200 and references(response) == first


def test_the_count_is_capped(client_for, team_a, cadre_a, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for _ in range(5):
        ConcernFactory(unit=team_a)
    page = client_for(cadre_a).get(LIST).content.decode()
    assert "3+ concerns" in page


def make_concerns(n, team_a, sub_a, cadre_a):
    for i in range(n):
        concern = ConcernFactory(
            unit=sub_a if i % 2 else team_a,
            owner=cadre_a if i % 3 else None,
            source=Concern.Source.PUBLIC if i % 5 == 0 else Concern.Source.VISIT,
            due_date=timezone.localdate() - datetime.timedelta(days=i % 4),
        )
        concern.principles.set([principle("pragmatism")])


@pytest.mark.parametrize("params", [{}, {"status": "open", "overdue": "yes", "q": "Concern", "sort": "due"}])
def test_first_page_runs_the_same_queries_at_10_and_100_rows(
    client_for, team_a, sub_a, cadre_a, leader_branch, params, django_assert_num_queries
):
    def queries(user) -> int:
        client = client_for(user)
        client.get(LIST)  # warm the session
        with CaptureQueriesContext(connection) as context:
            response = client.get(LIST, {"unit": team_a.pk, **params})
        assert response.status_code == 200 and references(response)
        return len(context)

    make_concerns(10, team_a, sub_a, cadre_a)
    small = {user: queries(user) for user in (cadre_a, leader_branch)}
    make_concerns(90, team_a, sub_a, cadre_a)
    for user, count in small.items():
        client = client_for(user)
        client.get(LIST)
        with django_assert_num_queries(count):
            assert client.get(LIST, {"unit": team_a.pk, **params}).status_code == 200
    assert max(small.values()) <= 12


# --- raising a concern outside a visit ----------------------------------------------------------------


def concern_post(unit, **overrides):
    data = {
        "unit": unit.pk,
        "category": category().pk,
        "title": "夜班没有热饭",
        "description": "The canteen closes at 20:00.",
        "priority": "urgent",
        "raised_by_name": "刘师傅",
        "raised_by_contact": "13900001111",
        "principles": [principle("pragmatism").pk],
    }
    data.update(overrides)
    return data


def test_create_form_shows(client_for, cadre_a, leader_branch):
    page = client_for(cadre_a).get(NEW).content.decode()
    assert 'name="title"' in page and 'name="owner"' not in page  # a cadre owns what they raise
    page = client_for(leader_branch).get(NEW).content.decode()
    assert 'name="owner"' in page


def test_cadre_raises_a_concern(client_for, cadre_a, sub_a):
    response = client_for(cadre_a).post(NEW, concern_post(sub_a))
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    assert concern.owner == cadre_a and concern.created_by == cadre_a
    assert concern.source == Concern.Source.OTHER and concern.visit is None
    assert concern.unit == sub_a and concern.title == "夜班没有热饭"
    assert concern.due_date == workdays.add_working_days(timezone.localdate(), 7)
    assert concern.raised_by_contact == "13900001111"
    assert [p.code for p in concern.principles.all()] == ["pragmatism"]
    assert concern.events.get().kind == ConcernEvent.Kind.RAISED


def test_anonymous_person_leaves_no_name(client_for, cadre_a, team_a):
    client_for(cadre_a).post(NEW, concern_post(team_a, anonymous="on"))
    concern = Concern.objects.get()
    assert concern.anonymous and concern.raised_by_name == "" and concern.raised_by_contact == ""


def test_leader_gives_the_concern_to_someone_in_the_unit(client_for, leader_branch, cadre_a2, team_a):
    client_for(leader_branch).post(NEW, concern_post(team_a, owner=cadre_a2.pk))
    assert Concern.objects.get().owner == cadre_a2


def test_create_refusals(client_for, cadre_a, team_a, team_b, other_branch, leader_branch, cadre_b_other_team):
    client = client_for(cadre_a)
    for data in (
        concern_post(team_b),  # a unit out of scope
        concern_post(other_branch),
        concern_post(team_a, title=""),
        concern_post(team_a, priority="whenever"),
        concern_post(team_a, category=""),
    ):
        response = client.post(NEW, data)
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    page = client.post(NEW, concern_post(team_b)).content.decode()
    assert "Select a valid choice" in page
    # A cadre cannot hand the concern to someone else: the field is not theirs, it is ignored.
    client.post(NEW, concern_post(team_a, owner=leader_branch.pk))
    assert Concern.objects.get().owner == cadre_a
    leader = client_for(leader_branch)
    response = leader.post(NEW, concern_post(team_a, owner=cadre_b_other_team.pk))
    assert "The owner must work in this unit" in response.content.decode()
    assert Concern.objects.count() == 1


def test_a_leader_may_give_it_away_only_where_they_lead(client_for, team_a, team_b, cadre_a, cadre_b_other_team):
    """A leader of team B who is merely a cadre of team A cannot give team A's concern away."""
    MembershipFactory(user=cadre_b_other_team, unit=team_a, role=Membership.Role.CADRE)
    Membership.objects.filter(user=cadre_b_other_team, unit=team_b).update(role=Membership.Role.LEADER)
    response = client_for(cadre_b_other_team).post(NEW, concern_post(team_a, owner=cadre_a.pk))
    assert "Only a leader of the unit can give" in response.content.decode()
    assert not Concern.objects.exists()


def test_nav_links_to_concerns(client_for, cadre_a):
    page = client_for(cadre_a).get(LIST).content.decode()
    assert f'href="{LIST}"' in page and f'href="{NEW}"' in page


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


def _rows(client, params):
    response = client.get("/concerns/", params)
    assert response.status_code == 200
    return [row.concern if hasattr(row, "concern") else row for row in response.context["rows"]]


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
