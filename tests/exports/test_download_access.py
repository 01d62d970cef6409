"""A prepared file is the asker's, and only while they still see every unit whose data it holds: the
download checks again at download time. Anything else is a 404."""

import pytest
from django.test import Client
from django.urls import reverse

from fieldwork.models import Membership
from tests.exports.background import ask, asked, made, status
from tests.ledger.helpers import ledger_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock(2026, 8, 3, hour=6)]


@pytest.fixture
def ready(client_for, leader_team_a, team_a, ledger_data, small_limit, storage):
    client = client_for(leader_team_a)
    return made(asked(ask(client, ledger_url(team_a, name="fieldwork:ledger-prepare"), "ledger_xlsx", leader_team_a)))


def urls(export) -> list[str]:
    return [reverse(name, args=[export.pk]) for name in ("fieldwork:export-detail", "fieldwork:export-download")]


def test_the_asker_downloads_it(client_for, leader_team_a, ready):
    client = client_for(leader_team_a)

    assert [status(client, url) for url in urls(ready)] == [200, 200]


def test_someone_else_even_a_leader_above_gets_a_404(client_for, leader_branch, cadre_b_other_team, ready):
    for user in (leader_branch, cadre_b_other_team):
        client = client_for(user)
        assert [status(client, url) for url in urls(ready)] == [404, 404]


def test_the_asker_who_has_left_the_unit_since_gets_a_404(client_for, leader_team_a, ready):
    Membership.objects.filter(user=leader_team_a).delete()
    client = client_for(leader_team_a)

    assert [status(client, url) for url in urls(ready)] == [404, 404]


def test_a_file_missing_from_storage_is_a_404_not_a_500(client_for, leader_team_a, ready):
    ready.file.storage.delete(ready.file.name)

    assert status(client_for(leader_team_a), urls(ready)[1]) == 404


def test_signed_out_is_sent_to_sign_in(ready):
    response = Client().get(urls(ready)[1])

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
