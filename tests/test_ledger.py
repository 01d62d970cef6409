"""The monthly ledger (台账): views/reports.py, as a printable page and as an XLSX workbook."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fieldwork.models import Concern, Feedback
from tests.factories import ConcernFactory, FeedbackFactory, FollowUpActionFactory, VisitFactory

JULY = {"period": "2026-07"}
CONTACT = "13800001111"


def moment(day: int, month: int = 7) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=timezone.get_default_timezone())


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


def ledger_url(unit, name="fieldwork:ledger", **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in {"unit": unit.pk, **JULY, **params}.items())
    return f"{reverse(name)}?{query}"


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_page_lists_the_period_subtree_and_carried_concerns(client_for, leader_branch, team_a, ledger_data):
    response = client_for(leader_branch).get(ledger_url(team_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Canteen" in html and "Sub A yard" in html and "王伟" in html
    assert "Team B hall" not in html and "June office" not in html
    assert "Flickering lights" in html and "Replace the ballast" in html and "Much better now" in html
    assert "Carried from May" in html
    assert "Closed in May" not in html and "Other team matter" not in html and "Raised in August" not in html
    assert "Zhao Min" in html
    assert "Secret matter" in html and "Hidden Person" not in html
    assert CONTACT not in html
    assert reverse("fieldwork:ledger-xlsx") in html
    assert "too few to compare" in html  # two concerns raised: the rates rest on too few cases


@pytest.mark.django_db
def test_workbook_has_one_sheet_each_with_rows_and_dates(client_for, leader_branch, team_a, ledger_data):
    book = workbook_of(client_for(leader_branch).get(ledger_url(team_a, "fieldwork:ledger-xlsx")))
    assert book.sheetnames == ["Summary", "Visits", "Concerns", "Follow-up actions", "Callbacks"]
    visits = list(book["Visits"].iter_rows(values_only=True))
    assert visits[0][:3] == ("Date", "Unit", "Form of visit")
    assert [row[3] for row in visits[1:]] == ["Canteen", "Sub A yard"]
    assert isinstance(visits[1][0], datetime.datetime) and visits[1][0].date() == datetime.date(2026, 7, 3)
    concerns = list(book["Concerns"].iter_rows(values_only=True))
    assert concerns[0][0] == "Reference"
    titles = [row[3] for row in concerns[1:]]
    assert titles == ["Carried from May", "Flickering lights", "Secret matter"]
    by_title = {row[3]: row for row in concerns[1:]}
    assert by_title["Flickering lights"][5] == "Zhao Min"
    assert by_title["Secret matter"][5] == "Anonymous"
    assert by_title["Flickering lights"][7] == datetime.datetime(2026, 8, 9)
    actions = list(book["Follow-up actions"].iter_rows(values_only=True))
    assert actions[1][:2] == (ledger_data.reference, "Replace the ballast")
    callbacks = list(book["Callbacks"].iter_rows(values_only=True))
    assert callbacks[1][0] == ledger_data.reference and callbacks[1][4] == "Much better now"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Visits"] == 2 and summary["Concerns raised"] == 2
    assert summary["Resolution rate"] == "too few to compare"
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.column_dimensions["A"].width > 8
    every_cell = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert CONTACT not in every_cell and "Hidden Person" not in every_cell
    assert "Other team matter" not in every_cell and "Closed in May" not in every_cell


@pytest.mark.django_db
def test_workbook_speaks_chinese_when_asked(client_for, leader_branch, team_a, ledger_data):
    response = client_for(leader_branch).get(
        ledger_url(team_a, "fieldwork:ledger-xlsx"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    book = workbook_of(response)
    assert {"走访", "诉求", "跟进措施"} <= set(book.sheetnames)
    assert next(book["诉求"].iter_rows(values_only=True))[:2] == ("编号", "单位")


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text(client_for, leader_branch, team_a):
    ConcernFactory(unit=team_a, title="=HYPERLINK(1)", raised_at=moment(10))
    book = workbook_of(client_for(leader_branch).get(ledger_url(team_a, "fieldwork:ledger-xlsx")))
    cell = book["Concerns"]["D2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["fieldwork:ledger", "fieldwork:ledger-xlsx"])
def test_scope(client, client_for, cadre_b_other_team, team_a, name):
    url = ledger_url(team_a, name)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client_for(cadre_b_other_team).get(url).status_code == 404
    assert client.get(f"{reverse(name)}?unit=abc").status_code == 404


@pytest.mark.django_db
def test_post_is_refused(client_for, leader_branch, team_a):
    assert client_for(leader_branch).post(ledger_url(team_a)).status_code == 405


@pytest.mark.django_db
def test_without_parameters_the_previous_month_of_the_highest_own_unit(client_for, cadre_a, team_a, clock):
    clock.now = moment(15, month=8)
    response = client_for(cadre_a).get(reverse("fieldwork:ledger"))
    assert response.status_code == 200
    assert response.context["unit"] == team_a
    assert response.context["period"].label == "2026-07"


@pytest.mark.django_db
def test_a_bad_period_falls_back_with_a_warning(client_for, cadre_a, team_a):
    response = client_for(cadre_a).get(f"{reverse('fieldwork:ledger')}?unit={team_a.pk}&period=2026-13")
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_dashboard_links_to_the_ledger(client_for, leader_branch, team_a):
    response = client_for(leader_branch).get(reverse("fieldwork:unit-dashboard", args=[team_a.pk]) + "?period=2026-07")
    assert f"{reverse('fieldwork:ledger')}?unit={team_a.pk}&amp;period=2026-07" in response.content.decode()


def add_rows(unit, author, count: int) -> None:
    for index in range(count):
        visit = VisitFactory(unit=unit, author=author, date=datetime.date(2026, 7, 1 + index))
        visit.cadres.add(author)
        concern = ConcernFactory(unit=unit, visit=visit, owner=author, raised_at=moment(1 + index))
        FollowUpActionFactory(concern=concern, owner=author)
        FeedbackFactory(concern=concern, satisfaction=Feedback.Satisfaction.BASICALLY)


def queries_for(client, url: str, xlsx: bool) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if xlsx:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("xlsx", [False, True])
def test_query_count_does_not_grow_with_rows(client_for, leader_branch, team_a, cadre_a, xlsx):
    client = client_for(leader_branch)
    url = ledger_url(team_a, "fieldwork:ledger-xlsx" if xlsx else "fieldwork:ledger")
    add_rows(team_a, cadre_a, 2)
    queries_for(client, url, xlsx)  # the first request also fills per-process caches (session, calendar)
    small = queries_for(client, url, xlsx)
    add_rows(team_a, cadre_a, 8)
    assert queries_for(client, url, xlsx) == small
    assert small <= 30
