"""History: every change to a visit, concern or action keeps who, when and what changed, shown on its page."""

import datetime

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fieldwork.errors import ConcernConflict
from fieldwork.models import Category, Concern, FollowUpAction, Visit
from fieldwork.services import actions as action_services
from fieldwork.services import concerns as concern_services
from fieldwork.services.concerns import ConcernInput
from tests.factories import MembershipFactory, UserFactory, category, principle
from tests.test_visits import visit_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(team_a, cadre_a):
    return concern_services.concern_create(
        unit=team_a,
        data=ConcernInput(
            title="Canteen closes too early",
            category=category(),
            raised_by_name="赵师傅",
            raised_by_contact="13800002222",
        ),
        by=cadre_a,
        owner=cadre_a,
    )


def history_section(html: str) -> str:
    start = html.index("data-history")
    return html[start : html.index("</section>", start)]


def test_each_concern_change_is_one_record_with_who_and_what(client_for, concern, cadre_a, leader_branch):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    new_due = timezone.localdate() + datetime.timedelta(days=20)
    concern_services.concern_set_due(concern=concern, by=leader_branch, version=2, due_date=new_due)

    records = list(Concern.history.filter(id=concern.pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~", "~"]
    assert [r.history_user for r in records] == [cadre_a, cadre_a, leader_branch]
    assert [r.status for r in records] == ["open", "in_progress", "in_progress"]
    assert records[-1].due_date == new_due

    section = history_section(client_for(leader_branch).get(concern.get_absolute_url()).content.decode())
    assert "Change history" in section
    assert "Due date" in section and new_due.strftime("%Y") in section
    assert "李芳" in section  # who moved the date
    assert "<del>Open</del> → <ins>In progress</ins>" in section


def test_a_stale_save_leaves_no_record(concern, cadre_a, leader_branch):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    with pytest.raises(ConcernConflict):
        concern_services.concern_set_due(
            concern=concern, by=leader_branch, version=1, due_date=timezone.localdate() + datetime.timedelta(days=9)
        )
    assert Concern.history.filter(id=concern.pk).count() == 2


def test_the_contact_never_enters_the_history(client_for, concern, cadre_a, team_a):
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    assert not hasattr(Concern.history.model, "raised_by_contact")
    other = UserFactory(username="colleague")
    MembershipFactory(user=other, unit=team_a)
    html = client_for(other).get(concern.get_absolute_url()).content.decode()
    assert "13800002222" not in html


def test_actions_history_is_on_the_concerns_page(client_for, concern, cadre_a):
    action = action_services.action_add(
        concern=concern, by=cadre_a, description="Ask the canteen manager", owner=cadre_a, due_date=timezone.localdate()
    )
    assert action.unit_id == concern.unit_id
    action_services.action_complete(action=action, by=cadre_a, outcome="Opens until 21:00 from Monday")
    records = FollowUpAction.history.filter(id=action.pk).order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user) for r in records] == [("+", cadre_a), ("~", cadre_a)]
    section = history_section(client_for(cadre_a).get(concern.get_absolute_url()).content.decode())
    assert "Action: Ask the canteen manager" in section
    assert "Opens until 21:00 from Monday" in section


def test_a_visit_edit_is_one_record_naming_fields_and_cadres(client_for, cadre_a, leader_branch, team_a):
    client = client_for(cadre_a)
    client.post(reverse("fieldwork:visit-create"), visit_post(team_a))
    visit = Visit.objects.get()
    assert visit.history.count() == 1  # not one per save and per cadres/principles change
    helper = UserFactory(username="helper", first_name="强", last_name="张")
    MembershipFactory(user=helper, unit=team_a)
    client = client_for(leader_branch)
    response = client.post(
        reverse("fieldwork:visit-edit", args=[visit.pk]),
        visit_post(team_a, location="Canteen", cadres=[helper.pk], principles=[principle("pragmatism").pk]),
    )
    assert response.status_code == 302
    records = list(visit.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user) for r in records] == [("+", cadre_a), ("~", leader_branch)]
    section = history_section(client.get(visit.get_absolute_url()).content.decode())
    assert "<del>Night shift room</del> → <ins>Canteen</ins>" in section
    assert "张强" in section  # the cadre added
    assert "李芳" in section  # who edited


def test_an_invalid_edit_writes_no_record(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    client.post(reverse("fieldwork:visit-create"), visit_post(team_a))
    visit = Visit.objects.get()
    response = client.post(reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a, people_reached="0"))
    assert response.status_code == 200
    assert visit.history.count() == 1


def test_history_outside_scope_is_not_shown(client_for, concern, cadre_b_other_team):
    assert client_for(cadre_b_other_team).get(concern.get_absolute_url()).status_code == 404


def test_detail_queries_do_not_grow_with_the_history(client_for, concern, cadre_a, leader_branch):
    client = client_for(cadre_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(concern.get_absolute_url()).status_code == 200
        return len(captured)

    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    action_services.action_add(
        concern=concern, by=cadre_a, description="Step 0", owner=cadre_a, due_date=timezone.localdate()
    )
    queries()  # warm: the calendar and the session are read once
    few = queries()
    version = Concern.objects.get(pk=concern.pk).version
    for n in range(12):
        due = timezone.localdate() + datetime.timedelta(days=10 + n)
        concern_services.concern_set_due(concern=concern, by=leader_branch, version=version, due_date=due)
        version += 1
        action_services.action_add(
            concern=concern, by=cadre_a, description=f"Step {n + 1}", owner=cadre_a, due_date=timezone.localdate()
        )
    assert queries() == few


def test_admin_shows_history_and_logs_deletions(client, concern):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:fieldwork_concern_history", args=[concern.pk])).content.decode()
    assert "Canteen closes too early" in page
    # what may be deleted in the admin (master data) leaves a LogEntry naming it and who deleted it
    unused = Category.objects.create(code="unused", name_en="Unused", name_zh="未用")
    response = client.post(reverse("admin:fieldwork_category_delete", args=[unused.pk]), {"post": "yes"})
    assert response.status_code == 302
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.user == admin and entry.object_repr == str(unused)


def test_a_concern_loaded_before_history_says_the_earlier_values_are_unknown(client_for, concern, cadre_a):
    Concern.history.filter(id=concern.pk).delete()  # as the demo's bulk load leaves it
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    section = history_section(client_for(cadre_a).get(concern.get_absolute_url()).content.decode())
    assert "the values before were not recorded" in section
    assert "王伟" in section


def test_a_long_history_shows_the_latest_changes_each_with_what_changed(
    client_for, concern, cadre_a, leader_branch, monkeypatch
):
    from fieldwork import history

    monkeypatch.setattr(history, "HISTORY_ROWS", 3)
    concern_services.concern_start(concern=concern, by=cadre_a, version=1)
    dates = [timezone.localdate() + datetime.timedelta(days=30 + n) for n in range(4)]
    for n, due in enumerate(dates):
        concern_services.concern_set_due(concern=concern, by=leader_branch, version=2 + n, due_date=due)
    entries = history.concern_history(Concern.objects.get(pk=concern.pk))
    assert len(entries) == 3
    assert all(not entry.unknown_before and entry.changes for entry in entries)
    assert [entry.changes[0].label for entry in entries] == ["due date"] * 3
