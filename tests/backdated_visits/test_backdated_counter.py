"""How many visits of a period were back-dated (issue 19 item 3): `visits_backdated` in the rollups,
counted alike by the Python rules, the SQL rebuild (PostgreSQL) and the upkeep on change; a line on
the dashboard's visits card and the list behind it; an upgrade from rules 2 rebuilds it."""

import datetime
import io

import pytest
from django.core.management import call_command

from fieldwork import rollups
from fieldwork.models import RollupStamp, UnitMonth, Visit
from fieldwork.rollups import counting, days
from fieldwork.services import visits as visit_services
from tests.dashboard.page_helpers import url

pytestmark = pytest.mark.clock(2026, 3, 20, 10)


def _visit(by, unit, day, note=""):
    return visit_services.visit_record(
        by=by,
        unit=unit,
        date=day,
        form=Visit.Form.HOME_VISIT,
        people_reached=2,
        summary="Heard about the canteen",
        confirmation_note=note,
    )


@pytest.fixture
def visits(leader_company, company, branch, team_a, sub_a, team_b):
    on_time = _visit(leader_company, team_a, datetime.date(2026, 3, 18))
    late = [
        _visit(leader_company, sub_a, datetime.date(2026, 3, 2), "Logged after the shift"),
        _visit(leader_company, team_b, datetime.date(2026, 2, 2), "Logged after the shift"),
    ]
    return on_time, late


def _in_step():
    monthly = rollups.recount()
    assert rollups.stored() == monthly
    assert days.stored() == days.recount()


def test_the_upkeep_counts_back_dated_visits_by_their_month(visits, company, branch, sub_a):
    on_time, late = visits
    assert not on_time.backdated and all(visit.backdated for visit in late)
    march = UnitMonth.objects.get(unit=company, month=datetime.date(2026, 3, 1))
    february = UnitMonth.objects.get(unit=company, month=datetime.date(2026, 2, 1))
    assert (march.visits, march.visits_backdated, february.visits_backdated) == (2, 1, 1)
    assert UnitMonth.objects.get(unit=sub_a, month=datetime.date(2026, 3, 1)).visits_backdated == 1
    _in_step()


def test_a_rebuild_counts_what_the_upkeep_kept(visits):
    before = rollups.stored()
    assert any(bucket["visits_backdated"] for bucket in before.values())
    rollups.rebuild()  # SQL on PostgreSQL, Python on SQLite
    assert rollups.stored() == before
    _in_step()


def test_an_edit_to_a_recent_date_leaves_the_back_dated_count(visits, leader_company, company):
    _on_time, late = visits
    visit = late[0]
    visit.refresh_from_db()
    visit_services.visit_update(
        visit=visit,
        by=leader_company,
        version=visit.version,
        unit=visit.unit,
        date=datetime.date(2026, 3, 19),
        form=visit.form,
        people_reached=visit.people_reached,
        summary=visit.summary,
    )
    visit.refresh_from_db()
    assert not visit.backdated
    assert UnitMonth.objects.get(unit=company, month=datetime.date(2026, 3, 1)).visits_backdated == 0
    _in_step()


def test_the_visits_card_says_how_many_were_back_dated_and_links_to_them(client_for, leader_company, company, visits):
    client = client_for(leader_company)
    html = client.get(url(company, period="2026-Q1")).content.decode()
    link = f"/visits/?unit={company.pk}&amp;date_from=2026-01-01&amp;date_to=2026-03-31&amp;backdated=1"
    assert f'<a href="{link}">2 logged late (back-dated)</a>' in html
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert sorted(visit.date for visit in listed.context["rows"]) == [
        datetime.date(2026, 2, 2),
        datetime.date(2026, 3, 2),
    ]
    not_late = client.get(f"/visits/?unit={company.pk}&backdated=0")
    assert [visit.date for visit in not_late.context["rows"]] == [datetime.date(2026, 3, 18)]
    bad = client.get(f"/visits/?unit={company.pk}&backdated=maybe")
    assert bad.status_code == 200 and "backdated" in bad.context["filter"].form.errors


def test_migrate_rebuilds_rollups_counted_before_the_back_dated_counter(visits):
    UnitMonth.objects.update(visits_backdated=0)
    RollupStamp.objects.update_or_create(pk=1, defaults={"rules": 2})
    assert rollups.stored() != rollups.recount()
    out = io.StringIO()
    call_command("migrate", "--noinput", stdout=out)
    assert "Rebuilding the dashboard rollups" in out.getvalue()
    assert RollupStamp.objects.get(pk=1).rules == counting.RULES == 3
    _in_step()
