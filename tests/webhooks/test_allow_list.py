"""A robot may point only at a host (and port) on settings.FIELDWORK["WEBHOOK_HOSTS"], over HTTPS unless the
entry says http:// for that one address: refused beside the field in the admin, and again when sending (an
address changed behind the admin's back is never asked)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fieldwork import webhooks
from fieldwork.models import UnitWebhook, WebhookDelivery
from tests.webhooks.helpers import TODAY

pytestmark = pytest.mark.django_db
ADD = "/admin/fieldwork/unitwebhook/add/"


def form(unit, url, **extra) -> dict:
    return {
        "unit": unit.pk,
        "name": "班组群",
        "platform": "wecom",
        "url": url,
        "secret": "",
        "active": "on",
        "send_digests": "on",
        "send_chases": "on",
        "send_supervision": "on",
        **extra,
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.8/cgi-bin/webhook/send?key=k",  # an intranet address
        "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send",  # a look-alike host
        "https://qyapi.weixin.qq.com@10.0.0.8/cgi-bin/webhook/send",  # a user name hiding the host
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",  # plain HTTP to an HTTPS host
        "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=k",  # another port
        "ftp://qyapi.weixin.qq.com/x",
        "not an address",
    ],
)
def test_the_admin_refuses_an_address_off_the_list_beside_the_field(client, staff_branch, team_a, robot_server, url):
    client.force_login(staff_branch)
    response = client.post(ADD, form(team_a, url))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["url"]
    assert not UnitWebhook.objects.exists()


def test_the_admin_accepts_an_address_on_the_list(client, staff_branch, team_a, robot_server):
    client.force_login(staff_branch)
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
    response = client.post(ADD, form(team_a, url))

    assert response.status_code == 302
    robot = UnitWebhook.objects.get()
    assert (robot.unit, robot.url, robot.platform) == (team_a, url, "wecom")
    assert robot.history.count() == 1


def test_plain_http_only_to_an_address_listed_with_http(robot_server):
    assert webhooks.webhook_url_refusal(robot_server.url) is None
    assert webhooks.webhook_url_refusal(robot_server.url.replace("http://", "https://")) is not None
    assert webhooks.webhook_url_refusal(f"http://127.0.0.1:{robot_server.port + 1}/x") is not None
    assert webhooks.webhook_url_refusal("https://oapi.dingtalk.com/robot/send?access_token=abc") is None


def test_an_address_changed_behind_the_admins_back_is_refused_when_sending(clock, team_a, make_robot, robot_server):
    asked = []

    class Elsewhere(BaseHTTPRequestHandler):
        def do_POST(self):
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)  # an intranet service, off the list
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        robot = make_robot(team_a)
        UnitWebhook.objects.filter(pk=robot.pk).update(url=f"http://127.0.0.1:{elsewhere.server_address[1]}/admin")
        delivery = WebhookDelivery.objects.create(
            target=robot,
            kind=WebhookDelivery.Kind.DIGEST,
            day=TODAY,
            payload=webhooks.webhook_payload("wecom", title="t", text="x"),
            next_attempt_at=clock.now,
        )
        webhooks.delivery_send(delivery_id=delivery.pk)
    finally:
        elsewhere.shutdown()
        elsewhere.server_close()

    delivery.refresh_from_db()
    assert asked == []
    assert delivery.status == WebhookDelivery.Status.FAILED  # final: not tried again
    assert "allowed webhook hosts" in delivery.last_error
    assert robot_server.received == []
