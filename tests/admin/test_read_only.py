"""Domain records are read-only in the admin: they change in the app, through the services, each change
versioned and on the concern's timeline. The admin shows them and their history, nothing more."""

import pytest
from django.urls import reverse

from fieldwork.models import Concern, ConcernEvent
from fieldwork.services import concerns as concern_services

DOMAIN = ["visit", "concern", "followupaction", "feedback", "extensionrequest"]


def _object(records, model_name):
    return {
        "visit": records.visit,
        "concern": records.concern,
        "followupaction": records.action,
        "feedback": records.feedback,
        "extensionrequest": records.extension,
    }[model_name]


def test_a_stale_admin_form_can_no_longer_move_a_concerns_owner(client, keeper, mine, team_a):
    concern = mine.concern
    client.force_login(keeper)
    url = reverse("admin:fieldwork_concern_change", args=[concern.pk])
    page = client.get(url)
    assert page.status_code == 200
    stale = {
        "unit": team_a.pk,
        "category": concern.category_id,
        "title": concern.title,
        "priority": concern.priority,
        "due_date": concern.due_date.isoformat(),
        "owner": mine.cadre.pk,
        "source": concern.source,
        "raised_at_0": "2026-11-01",
        "raised_at_1": "09:00:00",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    # meanwhile, in the app, a leader gives the concern to someone else
    concern_services.concern_reassign(concern=concern, by=mine.leader, version=concern.version, owner=mine.leader)
    version = concern.version
    response = client.post(url, stale)
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.owner == mine.leader and concern.version == version
    latest = concern.events.order_by("-id").first()
    assert latest.kind == ConcernEvent.Kind.REASSIGNED  # the timeline and the row agree


@pytest.mark.parametrize("model_name", DOMAIN)
def test_domain_records_can_be_viewed_but_not_added_changed_or_deleted(client, keeper, mine, model_name):
    client.force_login(keeper)
    obj = _object(mine, model_name)
    change = reverse(f"admin:fieldwork_{model_name}_change", args=[obj.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False  # the page shows the record, read-only
    assert b'name="_save"' not in page.content
    assert client.post(change, {}).status_code == 403
    assert client.get(reverse(f"admin:fieldwork_{model_name}_add")).status_code == 403
    delete = reverse(f"admin:fieldwork_{model_name}_delete", args=[obj.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model_name", ["visit", "concern", "followupaction"])
def test_an_old_version_cannot_be_put_back_from_the_history(client, keeper, mine, model_name):
    obj = _object(mine, model_name)
    record = obj.history.order_by("history_id").first()
    client.force_login(keeper)
    url = reverse(f"admin:fieldwork_{model_name}_simple_history", args=[obj.pk, record.history_id])
    assert client.get(url).status_code == 200  # an old version can be looked at
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    assert client.post(url, {"_save": "Revert"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before


def test_the_timeline_is_shown_on_the_concern_read_only(client, keeper, mine):
    client.force_login(keeper)
    page = client.get(reverse("admin:fieldwork_concern_change", args=[mine.concern.pk]))
    assert page.context["inline_admin_formsets"]
    assert Concern.objects.get(pk=mine.concern.pk).events.count() >= 3
    assert b"Extension requested" in page.content
