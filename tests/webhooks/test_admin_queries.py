"""The admin lists of robots and of their messages read in a fixed number of queries, however many rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork import webhooks
from fieldwork.models import UnitWebhook, WebhookDelivery
from tests.factories import UnitFactory
from tests.webhooks.helpers import TODAY

pytestmark = pytest.mark.django_db


def grow(branch, count: int) -> None:
    for number in range(count):
        unit = UnitFactory(parent=branch)
        robot = UnitWebhook.objects.create(
            unit=unit, name=f"group {number}", platform="wecom", url=f"https://qyapi.weixin.qq.com/send?key=k{number}"
        )
        for back in range(2):
            WebhookDelivery.objects.create(
                target=robot,
                kind=WebhookDelivery.Kind.DIGEST,
                day=TODAY - datetime.timedelta(days=back),
                payload=webhooks.webhook_payload("wecom", title="t", text="x"),
            )


def queries(client, path: str) -> int:
    client.get(path)  # the first request of a session reads what later ones find cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/admin/fieldwork/unitwebhook/", "/admin/fieldwork/webhookdelivery/"])
def test_lists_read_in_a_fixed_number_of_queries(client, staff_branch, branch, path):
    client.force_login(staff_branch)
    grow(branch, 2)
    small = queries(client, path)
    grow(branch, 10)
    assert queries(client, path) == small
