"""Concerns in the admin: never deleted, their history shown (a change of unit is a transfer now: tests/admin)."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from fieldwork.models import Category, Concern
from tests.factories import UserFactory

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
