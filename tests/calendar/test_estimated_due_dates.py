"""A due date counted over a year without the State Council's notice is marked estimated, in the page
and in the export."""

import csv
import io

import pytest
from django.urls import reverse

from fieldwork import workdays
from fieldwork.models import Concern
from tests.calendar.helpers import NOTICE_2027, D, raise_concern

pytestmark = pytest.mark.django_db


def test_a_normal_concern_raised_on_1_december_2026_is_due_after_new_years_day(clock, team_a, cadre_a):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.NORMAL)
    # 22 working days left in December, then 4–8 January and 11, 12, 13: the 1st is a holiday.
    assert concern.due_date == D(2027, 1, 13)
    assert concern.due_date_estimated()  # 2027's notice is not out: its New Year may move


def test_a_concern_counted_within_a_year_of_the_notice_is_not_estimated(clock, team_a, cadre_a):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.URGENT)
    assert concern.due_date == D(2026, 12, 10)
    assert not concern.due_date_estimated()


def test_a_long_term_concern_across_the_spring_festival_is_marked_estimated(clock, client_for, team_a, cadre_a):
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM, title="宿舍热水器更换")
    # 90 working days: 22 in December, 20 in January, 1–4 and 11–12 February (Spring Festival's eve to
    # the 10th off), 15–26 February, 23 in March, 1–2 April, Qingming on the 5th, then 6–14 April.
    assert concern.due_date == D(2027, 4, 14)
    assert concern.due_date_estimated()
    client = client_for(cadre_a)
    detail = client.get(concern.get_absolute_url()).content.decode()
    assert "data-estimated-note" in detail and "the date may move when the notice is loaded" in detail
    listed = client.get(reverse("fieldwork:concern-list")).content.decode()
    assert listed.count("data-estimated ") == 1
    assert "data-estimated " in client.get(reverse("fieldwork:my-work")).content.decode()


def test_the_mark_reads_in_chinese(clock, client_for, team_a, cadre_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    concern = raise_concern(team_a, cadre_a, Concern.Priority.LONG_TERM)
    page = client_for(cadre_a).get(concern.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "预估" in page and "国务院" in page


def test_the_overdue_export_has_a_column_for_estimated_dates(clock, client_for, team_a, cadre_a):
    clock.set(2026, 11, 2)
    in_2026 = raise_concern(team_a, cadre_a, Concern.Priority.URGENT, title="二〇二六年内")
    clock.set(2026, 12, 28)
    into_2027 = raise_concern(team_a, cadre_a, Concern.Priority.URGENT, title="跨入二〇二七年")
    clock.set(2027, 1, 25)
    response = client_for(cadre_a).get(reverse("fieldwork:overdue-export-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    column = header.index("Due date estimated")
    estimated = {row[1]: row[column] for row in rows[1:] if row and row[1].startswith("FW-")}
    assert estimated == {in_2026.reference: "estimated", into_2027.reference: "estimated"}  # days overdue run into 2027
    workdays.calendar_apply(year=2027, days=workdays.notice_read(NOTICE_2027)[1], source="notice")
    response = client_for(cadre_a).get(reverse("fieldwork:overdue-export-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {row[column] for row in rows[1:] if row and row[1].startswith("FW-")} == {""}
