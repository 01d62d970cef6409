"""Contact points (联系点) on a phone: a leader assigns a cadre to a team from the team's page with the
people picker, the branch dashboard's figure counts it as unvisited and leads to the list, and the
cadre's 我的工作 shows it beyond the interval with the days since the term began."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fieldwork.models import ContactPoint
from tests.e2e.conftest import PHONE, accessibility_problems, listen_for_errors, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_assign_then_see_it_unvisited_on_the_dashboard_and_my_work(
    browser, live_server, leader_branch, cadre_a, branch, team_a, console_errors
):
    leader = browser.new_context(viewport=PHONE).new_page()
    cadre = browser.new_context(viewport=PHONE).new_page()
    for person in (leader, cadre):
        listen_for_errors(person, console_errors)
    sign_in(leader, live_server, "leader_branch")
    sign_in(cadre, live_server, "cadre_a")
    start = timezone.localdate() - datetime.timedelta(days=45)

    leader.goto(f"{live_server.url}/units/{team_a.pk}/contact-points/")
    expect(leader.locator("#contact-points-empty")).to_be_visible()
    leader.locator("#id_assign-cadre").fill("王")
    leader.get_by_label("王伟").check()
    leader.locator("#id_assign-start").fill(start.isoformat())
    leader.locator("#id_assign-interval_days").fill("30")
    assert accessibility_problems(leader) == []
    shot(leader, "phone-contact-point-assign")
    leader.get_by_role("button", name="Assign").click()
    expect(leader.locator(".alert-success")).to_contain_text("now answers for Team A")
    row = leader.locator("[data-contact-point]")
    expect(row).to_contain_text("Not visited since the term began 45 days ago")
    expect(row.locator("[data-overdue]")).to_be_visible()

    leader.goto(f"{live_server.url}/units/{branch.pk}/dashboard/")
    figure = leader.locator("#fig-contact-points").locator("xpath=..").locator("a").first
    expect(figure).to_have_text("1")
    figure.click()
    expect(leader.locator("#contact-points-count")).to_contain_text("1 contact point not visited within the interval")
    shot(leader, "phone-contact-points-unvisited")

    cadre.goto(f"{live_server.url}/")
    mine = cadre.locator("#section-contact-points")
    expect(mine).to_contain_text("Team A")
    expect(mine).to_contain_text("45 days ago")
    expect(mine.locator("[data-overdue]")).to_be_visible()
    shot(cadre, "phone-my-work-contact-points")
    assert ContactPoint.objects.get().cadre == cadre_a
    assert console_errors == []
