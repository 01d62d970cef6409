"""Concerns in the admin: never deleted, their history shown, a change of unit carried to their actions."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse
from django.utils import timezone

from fieldwork.models import Category, Concern
from fieldwork.services import actions as action_services
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_refuses_to_delete_a_concern(client, concern):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    delete_url = reverse("admin:fieldwork_concern_delete", args=[concern.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:fieldwork_concern_changelist"),
        {"action": "delete_selected", "_selected_action": [concern.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Concern.objects.filter(pk=concern.pk).exists()
    assert not LogEntry.objects.filter(action_flag=3).exists()
    changelist = client.get(reverse("admin:fieldwork_concern_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_admin_shows_history_and_logs_deletions(client, concern):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:fieldwork_concern_history", args=[concern.pk])).content.decode()
    assert "Switch room lights flicker" in page
    # what may be deleted in the admin (master data) leaves a LogEntry naming it and who deleted it
    unused = Category.objects.create(code="unused", name_en="Unused", name_zh="未用")
    response = client.post(reverse("admin:fieldwork_category_delete", args=[unused.pk]), {"post": "yes"})
    assert response.status_code == 302
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.user == admin and entry.object_repr == str(unused)


def test_changing_a_concerns_unit_in_the_admin_moves_its_actions(client, concern, cadre_a, branch):
    action = action_services.action_add(
        concern=concern, by=cadre_a, description="Fix it", owner=cadre_a, due_date=timezone.localdate()
    )
    elsewhere = UnitFactory(name="Team C", code="team-c", parent=branch)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:fieldwork_concern_change", args=[concern.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"unit": elsewhere.pk, "category": concern.category_id, "visit": "", "owner": cadre_a.pk})
    data.update({"created_by": cadre_a.pk, "raised_at_0": "2026-11-01", "raised_at_1": "09:00:00"})
    events = list(concern.events.order_by("created_at", "id"))
    data.update({"events-TOTAL_FORMS": len(events), "events-INITIAL_FORMS": len(events)})
    for index, event in enumerate(events):
        data.update({f"events-{index}-id": event.pk, f"events-{index}-concern": concern.pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.unit == elsewhere
