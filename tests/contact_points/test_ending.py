"""Ending a contact point: with a reason, by a leader; the record stays (never deleted), with its
history of who assigned and who ended it; the admin offers no delete."""

import pytest
from django.urls import reverse

from fieldwork.errors import DomainError
from fieldwork.models import ContactPoint
from fieldwork.services import contact_points as services

from .helpers import TODAY, assign, days_ago

pytestmark = pytest.mark.clock(2026, 12, 1)


def test_ending_keeps_the_record_and_its_history(client_for, leader_branch, cadre_a, team_a):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(50))
    response = client_for(leader_branch).post(
        reverse("fieldwork:contact-point-end", args=[point.pk]), {"end-reason": "Transferred to dispatch."}
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.end, point.end_reason, point.ended_by) == (TODAY, "Transferred to dispatch.", leader_branch)
    assert ContactPoint.objects.filter(pk=point.pk).exists()
    records = list(point.history.order_by("history_date"))
    assert [record.history_type for record in records] == ["+", "~"]
    assert [record.history_user for record in records] == [leader_branch, leader_branch]
    assert records[-1].end_reason == "Transferred to dispatch."


def test_ending_without_a_reason_is_refused_with_a_message(client_for, leader_branch, cadre_a, team_a):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(50))
    response = client_for(leader_branch).post(
        reverse("fieldwork:contact-point-end", args=[point.pk]), {"end-reason": "   "}, follow=True
    )
    assert "Say why this contact point ends." in response.content.decode()
    point.refresh_from_db()
    assert point.end is None


def test_ending_twice_is_refused(leader_branch, cadre_a, team_a):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(50))
    services.contact_point_end(point=point, by=leader_branch, reason="Moved")
    with pytest.raises(DomainError, match="already ended"):
        services.contact_point_end(point=point, by=leader_branch, reason="Again")


def test_a_new_term_may_follow_an_ended_one(leader_branch, cadre_a, team_a, clock):
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(50))
    services.contact_point_end(point=point, by=leader_branch, reason="Paused", end=days_ago(10))
    again = assign(leader_branch, cadre_a, team_a, start=days_ago(5))
    assert ContactPoint.objects.filter(cadre=cadre_a, unit=team_a).count() == 2
    assert again.pk != point.pk


def test_the_admin_offers_no_delete_and_assigns_through_the_service(client, leader_branch, cadre_a, team_a):
    leader_branch.is_staff = True
    leader_branch.is_superuser = True
    leader_branch.save()
    client.force_login(leader_branch)
    point = assign(leader_branch, cadre_a, team_a, start=days_ago(50))
    assert (
        client.post(reverse("admin:fieldwork_contactpoint_delete", args=[point.pk]), {"post": "yes"}).status_code == 403
    )
    assert ContactPoint.objects.filter(pk=point.pk).exists()
    assert client.get(reverse("admin:fieldwork_contactpoint_history", args=[point.pk])).status_code == 200
    response = client.post(
        reverse("admin:fieldwork_contactpoint_add"),
        {"cadre": cadre_a.pk, "unit": team_a.pk, "start": "2026-11-01", "interval_days": "30"},
    )
    assert response.status_code == 200  # the same cadre already answers for the unit: refused beside the form
    assert "already answers for this unit" in response.content.decode()
    assert ContactPoint.objects.count() == 1
