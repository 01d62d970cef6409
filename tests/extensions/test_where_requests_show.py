"""Requests and extensions where people look: my work, the concern list, the concern's page."""

import datetime

import pytest
from django.urls import reverse

from fieldwork.services import extensions as extension_services
from tests.extensions.helpers import fresh, requested

pytestmark = pytest.mark.clock(2026, 9, 14)


def test_my_work_lists_requests_waiting_for_the_leader(
    client_for, cadre_a, leader_branch, leader_other_branch, concern
):
    requested(concern, cadre_a)
    mine = client_for(leader_branch).get(reverse("fieldwork:my-work"))
    assert [item.concern for item in mine.context["extension_requests"]] == [concern]
    assert "Extension requests waiting for my decision" in mine.content.decode()
    assert client_for(leader_other_branch).get(reverse("fieldwork:my-work")).context["extension_requests"] == []
    assert client_for(cadre_a).get(reverse("fieldwork:my-work")).context["extension_requests"] is None


def test_concern_list_marks_extended_concerns(client_for, cadre_a, leader_branch, concern):
    request = requested(concern, cadre_a)
    extension_services.extension_decide(request=request, by=leader_branch, approve=True, version=fresh(concern).version)
    html = client_for(leader_branch).get(reverse("fieldwork:concern-list")).content.decode()
    assert "data-extended" in html


def test_detail_queries_do_not_grow_with_requests(
    client_for, cadre_a, leader_branch, concern, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(leader_branch)
    client.get(concern.get_absolute_url())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(concern.get_absolute_url()).status_code == 200
        return len(queries)

    request = requested(concern, cadre_a)
    extension_services.extension_decide(
        request=request, by=leader_branch, approve=False, note="No.", version=fresh(concern).version
    )
    small = count()
    for day in range(16, 24):
        request = requested(concern, cadre_a, day=datetime.date(2026, 10, day))
        extension_services.extension_decide(
            request=request, by=leader_branch, approve=False, note="No.", version=fresh(concern).version
        )
    requested(concern, cadre_a)
    assert count() == small
    assert small <= 20
