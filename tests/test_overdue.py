"""The overdue page, its selectors and its CSV and XLSX exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork import paging, selectors
from fieldwork.display import display_name
from fieldwork.models import Concern
from tests.factories import ConcernFactory, FollowUpActionFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.clock(2026, 6, 15)

TODAY = datetime.date(2026, 6, 15)
URL = reverse("fieldwork:overdue-list")
CSV_URL = reverse("fieldwork:overdue-export-csv")
XLSX_URL = reverse("fieldwork:overdue-export-xlsx")


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def concern(unit, *, days_ago: int, status=Concern.Status.OPEN, owner=None, **kwargs) -> Concern:
    if status in (Concern.Status.RESOLVED, Concern.Status.CLOSED):
        kwargs.setdefault("resolution", "Fixed the lights.")
    return ConcernFactory(unit=unit, due_date=ago(days_ago), status=status, owner=owner, **kwargs)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_book(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


# --- what counts as overdue -------------------------------------------------------------------


def test_concerns_overdue_are_open_or_in_progress_past_due(team_a, leader_branch):
    late_open = concern(team_a, days_ago=1)
    later_in_progress = concern(team_a, days_ago=10, status=Concern.Status.IN_PROGRESS)
    concern(team_a, days_ago=0)  # due today: not yet overdue
    concern(team_a, days_ago=-3)
    for status in (Concern.Status.RESOLVED, Concern.Status.CLOSED, Concern.Status.WITHDRAWN):
        concern(team_a, days_ago=20, status=status)

    rows = list(selectors.concerns_overdue(user=leader_branch, today=TODAY))

    assert rows == [later_in_progress, late_open]


def test_actions_overdue_are_not_done_past_due(team_a, leader_branch, cadre_a):
    parent = concern(team_a, days_ago=-30)
    late = FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=ago(2))
    later = FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=ago(9))
    FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=ago(9), done_at=timezone.now())
    FollowUpActionFactory(concern=parent, owner=cadre_a, due_date=TODAY)

    rows = list(selectors.actions_overdue(user=leader_branch, today=TODAY))

    assert rows == [later, late]


def test_same_due_date_is_ordered_by_id(team_a, leader_branch):
    first, second, third = (concern(team_a, days_ago=4) for _ in range(3))
    oldest = concern(team_a, days_ago=5)

    rows = list(selectors.concerns_overdue(user=leader_branch, today=TODAY))

    assert rows == [oldest, first, second, third]


def test_days_overdue_counted_in_the_configured_time_zone(clock, client_for, team_a, leader_branch):
    # 17:30 UTC on the 15th is already 01:30 on the 16th in Shanghai.
    clock.now = datetime.datetime(2026, 6, 15, 17, 30, tzinfo=datetime.UTC)
    due_on_15th = concern(team_a, days_ago=0)

    response = client_for(leader_branch).get(URL)

    assert [c.pk for c in response.context["concerns"]] == [due_on_15th.pk]
    assert response.context["concerns"][0].days_overdue_count == 1


# --- the page ---------------------------------------------------------------------------------


def test_page_lists_both_sections_with_counts(client_for, team_a, leader_branch, cadre_a):
    c1 = concern(team_a, days_ago=3, owner=cadre_a, title="食堂夜班饭菜凉")
    c2 = concern(team_a, days_ago=8)
    FollowUpActionFactory(concern=c1, owner=cadre_a, due_date=ago(1), description="联系后勤")

    response = client_for(leader_branch).get(URL)

    assert response.status_code == 200
    assert [c.pk for c in response.context["concerns"]] == [c2.pk, c1.pk]
    html = response.content.decode()
    assert "2 overdue concerns, 1 overdue action" in html
    assert "食堂夜班饭菜凉" in html and "联系后勤" in html
    assert c1.reference in html and c1.get_absolute_url() in html
    # due Sunday 7 June, today Monday 15 June: six working days (8–12 and 15 June)
    assert response.context["concerns"][0].days_overdue_count == 6


def test_page_empty_state_says_what_to_do(client_for, cadre_a):
    response = client_for(cadre_a).get(URL)

    assert "0 overdue concerns, 0 overdue actions" in response.content.decode()
    assert "No concern is overdue in your units" in response.content.decode()


def test_filter_by_unit_takes_the_subtree(client_for, team_a, sub_a, team_b, leader_branch):
    in_team = concern(team_a, days_ago=2)
    below = concern(sub_a, days_ago=3)
    concern(team_b, days_ago=4)
    other_action = FollowUpActionFactory(concern=concern(team_b, days_ago=-9), due_date=ago(1))
    mine = FollowUpActionFactory(concern=in_team, due_date=ago(1))

    response = client_for(leader_branch).get(URL, {"unit": team_a.pk})

    assert [c.pk for c in response.context["concerns"]] == [below.pk, in_team.pk]
    assert [a.pk for a in response.context["actions"]] == [mine.pk]
    assert other_action.pk not in [a.pk for a in response.context["actions"]]


def test_filter_by_owner_and_unassigned(client_for, team_a, leader_branch, cadre_a):
    owned = concern(team_a, days_ago=2, owner=cadre_a)
    nobody = concern(team_a, days_ago=3)
    someone = UserFactory()
    action = FollowUpActionFactory(concern=owned, owner=cadre_a, due_date=ago(1))
    FollowUpActionFactory(concern=owned, owner=someone, due_date=ago(1))

    by_owner = client_for(leader_branch).get(URL, {"owner": cadre_a.pk})
    unassigned = client_for(leader_branch).get(URL, {"owner": "null"})

    assert [c.pk for c in by_owner.context["concerns"]] == [owned.pk]
    assert [a.pk for a in by_owner.context["actions"]] == [action.pk]
    assert [c.pk for c in unassigned.context["concerns"]] == [nobody.pk]
    assert unassigned.context["actions"] == []


def test_unit_outside_scope_is_refused_in_the_form_and_leaks_nothing(client_for, team_a, team_b, cadre_b_other_team):
    concern(team_a, days_ago=2)
    visible = concern(team_b, days_ago=2)

    response = client_for(cadre_b_other_team).get(URL, {"unit": team_a.pk})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["unit"]
    assert [c.pk for c in response.context["concerns"]] == [visible.pk]


def test_cadre_of_another_team_never_sees_team_a_rows(client_for, team_a, team_b, cadre_b_other_team):
    hidden = concern(team_a, days_ago=2, title="Team A secret")
    FollowUpActionFactory(concern=hidden, due_date=ago(1), description="Team A action")
    own = concern(team_b, days_ago=2, title="Team B own")
    client = client_for(cadre_b_other_team)

    page = client.get(URL)
    csv_text = "\n".join(",".join(row) for row in csv_rows(client.get(CSV_URL)))
    book = xlsx_book(client.get(XLSX_URL))
    xlsx_text = " ".join(str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)

    assert [c.pk for c in page.context["concerns"]] == [own.pk]
    assert page.context["actions"] == []
    for text in (page.content.decode(), csv_text, xlsx_text):
        assert "Team B own" in text
        assert "Team A secret" not in text and hidden.reference not in text
        assert "Team A action" not in text


def test_counts_are_capped(monkeypatch, client_for, team_a, leader_branch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for days in range(5):
        concern(team_a, days_ago=days + 1)

    response = client_for(leader_branch).get(URL)

    assert "3+ overdue concerns" in response.content.decode()
    assert len(response.context["concerns"]) == 5  # the cap bounds the count, not the page


def test_keyset_paging_walks_every_row_once(settings, client_for, team_a, leader_branch):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    # Created most overdue first, so creation order is the expected order; three share a due date
    # and straddle a page boundary.
    expected = [concern(team_a, days_ago=days).pk for days in (9, 7, 7, 7, 3)]
    client = client_for(leader_branch)

    seen, query, pages = [], "", 0
    while True:
        response = client.get(f"{URL}?{query}")
        seen += [c.pk for c in response.context["concerns"]]
        pages += 1
        query = response.context["concerns_next"]
        if not query:
            break
        assert "concerns_after=" in query and "page=" not in query

    assert pages == 3
    assert seen == expected


def test_malformed_cursor_shows_the_first_page(client_for, team_a, leader_branch):
    first = concern(team_a, days_ago=2)

    response = client_for(leader_branch).get(URL, {"concerns_after": "yesterday.x", "actions_after": "9"})

    assert response.status_code == 200
    assert [c.pk for c in response.context["concerns"]] == [first.pk]


def test_anonymous_is_sent_to_login(client):
    for url in (URL, CSV_URL, XLSX_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(client_for, cadre_a):
    client = client_for(cadre_a)
    for url in (URL, CSV_URL, XLSX_URL):
        assert client.post(url).status_code == 405


def _org(branch, size: int) -> None:
    """`size` overdue concerns and actions spread over several units and owners of the branch."""
    for index in range(size):
        unit = UnitFactory(parent=branch)
        owner = UserFactory()
        item = concern(unit, days_ago=index + 1, owner=owner if index % 3 else None)
        FollowUpActionFactory(concern=item, owner=owner, due_date=ago(index + 2))


@pytest.mark.parametrize("url", [URL, CSV_URL, XLSX_URL])
def test_query_count_does_not_grow(client_for, branch, leader_branch, url):
    client = client_for(leader_branch)

    def count(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    client.get(URL)  # the first request after signing in also saves the session
    _org(branch, 3)
    small = count({"unit": branch.pk})
    _org(branch, 40)
    large = count({"unit": branch.pk})

    assert small == large
    assert large <= 12  # 11, + the working-day calendar, read once a request


# --- the exports ------------------------------------------------------------------------------


def test_csv_holds_every_filtered_row_across_pages(settings, client_for, team_a, team_b, leader_branch):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    items = [concern(team_a, days_ago=days, title=f"问题 {days}") for days in (5, 4, 3, 2, 1)]
    concern(team_b, days_ago=6)  # filtered out by the unit
    FollowUpActionFactory(concern=items[0], due_date=ago(3), description="电话回访，说明情况")
    client = client_for(leader_branch)

    page = client.get(URL, {"unit": team_a.pk})
    rows = csv_rows(client.get(CSV_URL, {"unit": team_a.pk}))

    assert len(page.context["concerns"]) == 2
    assert rows[0] == [
        "Type",
        "Reference",
        "Title",
        "Unit",
        "Owner",
        "Due date",
        "Working days overdue",
        "Concern status",
        "Due date estimated",
    ]
    concern_rows = [row for row in rows[1:] if row[0] == "Concern"]
    assert [row[1] for row in concern_rows] == [c.reference for c in items]
    assert concern_rows[0] == [
        "Concern",
        items[0].reference,
        "问题 5",
        "Team A",
        "Unassigned",
        "2026-06-10",
        "3",  # working days: Thursday, Friday, Monday
        "Open",
        "",  # counted within 2026, whose notice is in the calendar
    ]
    assert rows[-1][0] == "Follow-up action"
    assert rows[-1][1:3] == [items[0].reference, "电话回访，说明情况"]
    assert rows[-1][6] == "1"  # due Friday 12 June: one working day, Monday


def test_csv_neutralises_formulas(client_for, team_a, leader_branch):
    concern(team_a, days_ago=1, title='=HYPERLINK("http://evil")')

    rows = csv_rows(client_for(leader_branch).get(CSV_URL))

    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


def test_csv_is_a_streamed_attachment(client_for, cadre_a):
    response = client_for(cadre_a).get(CSV_URL)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="overdue-2026-06-15.csv"'


def test_xlsx_has_bold_frozen_headers_real_dates_and_chinese(client_for, team_a, leader_branch, cadre_a):
    item = concern(team_a, days_ago=4, owner=cadre_a, title="变电站照明不足")
    concern(team_a, days_ago=2, title="=1+1")
    FollowUpActionFactory(concern=item, owner=cadre_a, due_date=ago(1), description="更换灯具")

    response = client_for(leader_branch).get(XLSX_URL)

    assert response["Content-Disposition"] == 'attachment; filename="overdue-2026-06-15.xlsx"'
    book = xlsx_book(response)
    concerns_sheet, actions_sheet = book.worksheets
    assert [sheet.title for sheet in book.worksheets] == ["Overdue concerns", "Overdue actions"]
    header = [cell.value for cell in concerns_sheet[1]]
    assert header == [
        "Reference",
        "Title",
        "Unit",
        "Owner",
        "Due date",
        "Working days overdue",
        "Status",
        "Due date estimated",
    ]
    assert all(cell.font.bold for cell in concerns_sheet[1])
    assert concerns_sheet.freeze_panes == "A2"
    assert concerns_sheet.column_dimensions["B"].width == 48
    first = [cell.value for cell in concerns_sheet[2]]
    assert first[:3] == [item.reference, "变电站照明不足", "Team A"]
    assert first[3] == display_name(cadre_a)
    assert first[4] == datetime.datetime(2026, 6, 11)  # a date cell, not text
    assert first[5:] == [2, "Open", None]  # working days: Friday, Monday; not estimated
    formula_like = concerns_sheet.cell(row=3, column=2)
    assert formula_like.value == "=1+1" and formula_like.data_type == "s"
    assert concerns_sheet.max_row == 3
    assert [cell.value for cell in actions_sheet[1]][1] == "Action"
    assert [cell.value for cell in actions_sheet[2]][:2] == [item.reference, "更换灯具"]
    assert actions_sheet.freeze_panes == "A2"


def test_xlsx_exports_every_filtered_row_across_pages(settings, client_for, team_a, leader_branch, cadre_a):
    settings.FIELDWORK = {**settings.FIELDWORK, "PAGE_SIZE": 2}
    owned = [concern(team_a, days_ago=days, owner=cadre_a) for days in (6, 5, 4)]
    concern(team_a, days_ago=3)  # nobody's: filtered out by the owner

    book = xlsx_book(client_for(leader_branch).get(XLSX_URL, {"owner": cadre_a.pk}))

    references = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert references == [c.reference for c in owned]


def test_export_headers_follow_the_active_language(monkeypatch, client_for, cadre_a):
    # The catalogue is filled in later; mark each header with the language active when it is
    # translated, to show the streamed export translates in the request's language.
    from django.utils import translation

    from fieldwork.views import overdue

    monkeypatch.setattr(overdue, "_", lambda text: f"{translation.get_language()}:{text}")

    response = client_for(cadre_a).get(CSV_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert csv_rows(response)[0][:2] == ["zh-hans:Type", "zh-hans:Reference"]
