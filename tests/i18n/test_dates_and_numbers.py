"""Dates and counts are written as the chosen language writes them."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Concern, Visit
from fieldwork.services import public as public_services
from fieldwork.services import visits as visit_services
from tests.factories import category

LATER = datetime.date(2027, 3, 15)
ENGLISH_DATE, CHINESE_DATE = "15 Mar 2027", "2027年3月15日"


def in_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


@pytest.mark.parametrize(("chinese", "expected"), [(False, ENGLISH_DATE), (True, CHINESE_DATE)])
def test_a_new_due_date_is_said_in_the_chosen_language(client_for, leader_branch, concern, chinese, expected):
    client = client_for(leader_branch)
    if chinese:
        in_chinese(client)
    response = client.post(
        reverse("fieldwork:concern-set-due", args=[concern.pk]),
        {"set_due-version": concern.version, "set_due-due_date": LATER.isoformat()},
        follow=True,
    )
    message = re.search(r'<div class="alert alert-success" role="status">([^<]*)</div>', response.content.decode())
    assert expected in message.group(1)


def test_dashboard_counts_are_grouped_as_the_language_writes_them(client_for, leader_branch, team_a, branch):
    visit_services.visit_record(
        by=leader_branch,
        unit=team_a,
        date=timezone.localdate(),
        form=Visit.Form.SYMPOSIUM,
        people_reached=12345,
        summary="The whole branch's assembly",
        confirmation_note="The whole branch's assembly",
    )
    url = reverse("fieldwork:unit-dashboard", args=[branch.pk])
    client = client_for(leader_branch)
    assert ">12,345</a>" in client.get(url).content.decode()
    assert ">12345</a>" in in_chinese(client).get(url).content.decode()


def test_the_public_page_writes_dates_in_the_chosen_language(team_a, cadre_a, leader_branch):
    concern, code = public_services.public_concern_raise(
        unit=team_a, category=category(), description="The changing room has no heating."
    )
    Concern.objects.filter(pk=concern.pk).update(due_date=LATER)
    for chinese, expected in [(False, ENGLISH_DATE), (True, CHINESE_DATE)]:
        person = in_chinese(Client()) if chinese else Client()
        person.post(reverse("fieldwork:public-track"), {"code": code})
        html = person.get(reverse("fieldwork:public-track")).content.decode()
        assert expected in html
        assert "2027-03-15" not in html
