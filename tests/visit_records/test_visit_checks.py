"""What makes a visit's record make sense, in the service (issue 19, item 3): a summary or a concern,
a date neither in the future nor older than the floor, and a confirmed reason for a back-dated visit
or for more people than the unit holds. The service refuses an unconfirmed save, naming the field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork.errors import VisitRefused
from fieldwork.models import Unit, Visit
from fieldwork.services import visits as visit_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import UserFactory, category

pytestmark = pytest.mark.clock(2026, 12, 1)


def record(by, unit, **overrides):
    kwargs = {
        "by": by,
        "unit": unit,
        "date": timezone.localdate(),
        "form": Visit.Form.SYMPOSIUM,
        "people_reached": 5,
        "summary": "They asked about the canteen hours.",
    }
    kwargs.update(overrides)
    return visit_services.visit_record(**kwargs)


def test_the_absurd_visit_is_refused_naming_each_field(cadre_a, team_a):
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=datetime.date(1990, 1, 1), people_reached=50_000, summary="")
    assert set(refused.value.errors) == {"date", "summary"}
    assert "cannot be saved" in refused.value.errors["date"]
    assert "Say what was heard" in refused.value.errors["summary"]
    assert not Visit.objects.exists()


def test_a_reason_does_not_let_the_absurd_visit_in(cadre_a, team_a):
    with pytest.raises(VisitRefused):
        record(
            cadre_a,
            team_a,
            date=datetime.date(1990, 1, 1),
            people_reached=50_000,
            summary="",
            confirmation_note="Because",
        )
    assert not Visit.objects.exists()


def test_a_concern_stands_for_the_summary(cadre_a, team_a):
    visit = record(cadre_a, team_a, summary="  ", concerns=[ConcernInput(title="Boots", category=category())])
    assert visit.concerns.count() == 1 and visit.summary == ""


def test_back_dated_needs_a_reason_and_is_marked(cadre_a, team_a, clock):
    eight_days_back = clock.today - datetime.timedelta(days=8)
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=eight_days_back)
    assert list(refused.value.errors) == ["date"]
    assert "8 days before" in refused.value.errors["date"]
    assert not Visit.objects.exists()

    visit = record(cadre_a, team_a, date=eight_days_back, confirmation_note="  Written up after the flood.  ")
    visit.refresh_from_db()
    assert visit.backdated and visit.confirmation_note == "Written up after the flood."
    first = visit.history.get()
    assert first.backdated and first.confirmation_note == "Written up after the flood."


def test_seven_days_back_is_not_back_dated(cadre_a, team_a, clock):
    visit = record(cadre_a, team_a, date=clock.today - datetime.timedelta(days=7), confirmation_note="ignored")
    assert not visit.backdated and visit.confirmation_note == ""


def test_the_floor_is_refused_with_a_reason_too(cadre_a, team_a, clock):
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=clock.today - datetime.timedelta(days=367), confirmation_note="Old notes")
    assert list(refused.value.errors) == ["date"]
    visit = record(cadre_a, team_a, date=clock.today - datetime.timedelta(days=366), confirmation_note="Old notes")
    assert visit.backdated


def test_the_future_is_refused(cadre_a, team_a, clock):
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=clock.today + datetime.timedelta(days=1), confirmation_note="x")
    assert refused.value.errors == {"date": "A visit cannot be dated in the future."}


def test_more_people_than_the_ceiling_needs_a_reason(cadre_a, team_a):
    assert record(cadre_a, team_a, people_reached=300).confirmation_note == ""
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, people_reached=301)
    assert list(refused.value.errors) == ["people_reached"]
    assert "(300)" in refused.value.errors["people_reached"]
    visit = record(cadre_a, team_a, people_reached=301, confirmation_note="The whole workshop's safety meeting")
    assert not visit.backdated and visit.confirmation_note == "The whole workshop's safety meeting"


def test_the_settings_set_the_limits(cadre_a, team_a, clock, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "VISIT_BACKDATE_DAYS": 2, "VISIT_PEOPLE_CEILING": 10}
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=clock.today - datetime.timedelta(days=3), people_reached=11)
    assert set(refused.value.errors) == {"date", "people_reached"}


def test_the_headcount_set_in_the_admin_is_the_limit(client, cadre_a, team_a):
    keeper = UserFactory(username="keeper", is_staff=True, is_superuser=True)
    client.force_login(keeper)
    page = client.get(reverse("admin:fieldwork_unit_change", args=[team_a.pk]))
    assert "How many people work in this unit" in page.content.decode()
    response = client.post(
        reverse("admin:fieldwork_unit_change", args=[team_a.pk]),
        {
            "name": team_a.name,
            "code": team_a.code,
            "kind": team_a.kind,
            "parent": team_a.parent_id,
            "active": "on",
            "headcount": "12",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert team_a.headcount == 12

    assert record(cadre_a, team_a, people_reached=12).confirmation_note == ""
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, people_reached=13)  # far below the general 300
    assert team_a.name in refused.value.errors["people_reached"] and "(12)" in refused.value.errors["people_reached"]
    # a big unit's headcount lifts the limit above the general one
    Unit.objects.filter(pk=team_a.pk).update(headcount=800)
    team_a.refresh_from_db()
    assert record(cadre_a, team_a, people_reached=500).confirmation_note == ""


def test_the_headcount_is_positive(client, team_a):
    keeper = UserFactory(username="keeper", is_staff=True, is_superuser=True)
    client.force_login(keeper)
    response = client.post(
        reverse("admin:fieldwork_unit_change", args=[team_a.pk]),
        {
            "name": team_a.name,
            "code": team_a.code,
            "kind": team_a.kind,
            "parent": team_a.parent_id,
            "active": "on",
            "headcount": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "headcount" in response.context["adminform"].form.errors


def test_the_phones_save_time_counts_for_an_offline_visit(cadre_a, team_a, clock):
    """Saved offline on 20 November, sent on 1 December: dated the day it was saved, not back-dated."""
    saved_at = clock.now - datetime.timedelta(days=11)
    visit = record(cadre_a, team_a, date=timezone.localdate(saved_at), saved_at=saved_at)
    assert not visit.backdated
    with pytest.raises(VisitRefused):
        record(cadre_a, team_a, date=timezone.localdate(saved_at))  # the same date saved now is late


def test_a_save_time_ahead_of_the_server_counts_as_now(cadre_a, team_a, clock):
    with pytest.raises(VisitRefused) as refused:
        record(
            cadre_a,
            team_a,
            date=clock.today - datetime.timedelta(days=8),
            saved_at=clock.now + datetime.timedelta(days=5),
        )
    assert list(refused.value.errors) == ["date"]


@pytest.mark.clock(2027, 1, 4)
def test_across_the_new_year(cadre_a, team_a, clock):
    assert clock.today == datetime.date(2027, 1, 4)
    assert not record(cadre_a, team_a, date=datetime.date(2026, 12, 28)).backdated  # 7 days
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=datetime.date(2026, 12, 27))
    assert "8 days before" in refused.value.errors["date"]
    assert record(cadre_a, team_a, date=datetime.date(2026, 12, 27), confirmation_note="Year-end leave").backdated
    with pytest.raises(VisitRefused) as refused:
        record(cadre_a, team_a, date=datetime.date(2027, 1, 5))
    assert "future" in refused.value.errors["date"]
    visit = record(cadre_a, team_a, date=datetime.date(2026, 1, 3), confirmation_note="From last year's notebook")
    assert visit.backdated  # 366 days: the oldest allowed
    with pytest.raises(VisitRefused):
        record(cadre_a, team_a, date=datetime.date(2026, 1, 2), confirmation_note="x")


def test_an_edit_asks_again_only_for_what_it_changes(cadre_a, team_a, clock):
    visit = record(cadre_a, team_a, date=clock.today - datetime.timedelta(days=10), confirmation_note="Flood")
    clock.move(days=30)

    def edit(**overrides):
        kwargs = {
            "visit": visit,
            "by": cadre_a,
            "unit": team_a,
            "date": visit.date,
            "form": visit.form,
            "people_reached": visit.people_reached,
            "summary": visit.summary,
            "version": visit.version,
        }
        kwargs.update(overrides)
        return visit_services.visit_update(**kwargs)

    # a month later, the summary is corrected: the date was confirmed when it was logged
    edit(summary="Canteen hours and the night bus.")
    visit.refresh_from_db()
    assert visit.backdated and visit.confirmation_note == "Flood"
    # counted from when it was logged, not from the edit
    edit(date=visit.date + datetime.timedelta(days=4))
    visit.refresh_from_db()
    assert not visit.backdated
    with pytest.raises(VisitRefused) as refused:
        edit(people_reached=400)
    assert list(refused.value.errors) == ["people_reached"]
    edit(people_reached=400, confirmation_note="Counted the sign-in sheet")
    visit.refresh_from_db()
    assert visit.people_reached == 400 and visit.confirmation_note == "Flood\nCounted the sign-in sheet"
    with pytest.raises(VisitRefused) as refused:
        edit(summary="")
    assert list(refused.value.errors) == ["summary"]
