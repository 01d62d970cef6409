"""Leaders and administrators see a banner while the next 90 days lack a notice, and not once it is loaded."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.calendar.helpers import load

pytestmark = pytest.mark.django_db


def test_leaders_and_administrators_see_a_banner_when_the_next_90_days_lack_a_notice(
    clock, client_for, cadre_a, leader_branch, client
):
    assert "data-calendar-warning" in client_for(leader_branch).get(reverse("fieldwork:my-work")).content.decode()
    assert "data-calendar-warning" not in client_for(cadre_a).get(reverse("fieldwork:my-work")).content.decode()
    admin = get_user_model().objects.create_superuser("keeper", "keeper@example.com", "pass-for-tests-1")
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "data-calendar-warning" in page and "2027" in page

    clock.set(2026, 9, 1)  # the next 90 days end in November: nothing to warn of
    assert "data-calendar-warning" not in client.get(reverse("admin:index")).content.decode()


def test_no_banner_once_the_notice_is_loaded_until_the_next_year_comes_near(
    clock, client_for, leader_branch, notice_file
):
    load(str(notice_file))
    assert "data-calendar-warning" not in client_for(leader_branch).get(reverse("fieldwork:my-work")).content.decode()
    clock.set(2027, 10, 15)
    page = client_for(leader_branch).get(reverse("fieldwork:my-work")).content.decode()
    assert "data-calendar-warning" in page and "2028" in page
