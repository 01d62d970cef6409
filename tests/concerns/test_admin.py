"""Concerns in the admin: never deleted, their history shown, a change of unit carried to their actions."""

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from fieldwork.models import Concern
from tests.factories import (
    UserFactory,
)


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
