"""The day's messages reach each platform in its documented JSON, in the installation's language with
dates as a Chinese unit writes them; 钉钉's signed robot gets a signature its server accepts."""

import io

import pytest
from django.core.management import call_command

from fieldwork.models import UnitWebhook, WebhookDelivery
from tests.webhooks.helpers import TODAY, late_concern, run_day, send_due

pytestmark = pytest.mark.django_db


def test_wecom_robot_gets_a_markdown_message_with_references_units_dates_and_counts(
    clock, settings, team_a, cadre_a, make_robot, robot_server
):
    settings.LANGUAGE_CODE = "zh-hans"
    concern = late_concern(team_a, cadre_a)
    robot = make_robot(team_a)

    run_day(clock)
    assert send_due() == ["sent", "sent"]

    kinds = set(WebhookDelivery.objects.filter(target=robot).values_list("kind", flat=True))
    assert kinds == {WebhookDelivery.Kind.DIGEST, WebhookDelivery.Kind.CHASE}
    assert len(robot_server.received) == 2
    for received in robot_server.received:
        assert received.path == "/cgi-bin/webhook/send"
        assert received.query == {"key": "robot-key-1234"}
        assert received.headers["Content-Type"].startswith("application/json")
        assert received.body["msgtype"] == "markdown"
        assert set(received.body["markdown"]) == {"content"}
        content = received.body["markdown"]["content"]
        assert concern.reference in content
        assert team_a.name in content
        assert "2026年11月27日" in content  # the due date, as a Chinese unit writes it
        assert f"/concerns/{concern.pk}/" in content
    digest = WebhookDelivery.objects.get(kind=WebhookDelivery.Kind.DIGEST).payload["markdown"]["content"]
    assert "2026年12月1日" in digest  # the day of the digest
    for delivery in WebhookDelivery.objects.all():
        assert delivery.status == WebhookDelivery.Status.SENT
        assert delivery.attempts == 1
        assert delivery.sent_at is not None


def test_dingtalk_robot_gets_title_and_text_and_a_valid_signature(
    clock, settings, team_a, cadre_a, make_robot, robot_server
):
    settings.LANGUAGE_CODE = "zh-hans"
    robot_server.secret = "SEC0123456789abcdef"
    concern = late_concern(team_a, cadre_a)
    make_robot(team_a, platform=UnitWebhook.Platform.DINGTALK, secret=robot_server.secret, send_digests=False)

    run_day(clock)
    assert send_due() == ["sent"]

    (received,) = robot_server.received
    assert received.signature_ok is True
    assert set(received.query) == {"key", "timestamp", "sign"}
    assert received.body["msgtype"] == "markdown"
    assert set(received.body["markdown"]) == {"title", "text"}
    assert "2026年12月1日" in received.body["markdown"]["title"]
    assert concern.reference in received.body["markdown"]["text"]


def test_a_wrong_dingtalk_secret_is_the_platform_error_code_and_is_retried(
    clock, team_a, cadre_a, make_robot, robot_server
):
    robot_server.secret = "SEC-the-right-one"
    late_concern(team_a, cadre_a)
    make_robot(team_a, platform=UnitWebhook.Platform.DINGTALK, secret="SEC-a-wrong-one", send_digests=False)

    run_day(clock)
    send_due()

    (received,) = robot_server.received
    assert received.signature_ok is False
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert "310000" in delivery.last_error


def test_supervision_goes_to_the_robot_of_the_leaders_unit_and_a_chase_to_the_nearest_robot_up(
    clock, team_a, sub_a, branch, cadre_a, leader_branch, make_robot, robot_server
):
    chased = late_concern(sub_a, cadre_a)  # sub_a has no robot: team_a's takes its 催办
    supervised = late_concern(
        team_a, cadre_a, due=TODAY.replace(day=1, month=11), chased_on=TODAY.replace(day=20, month=11)
    )
    team_robot = make_robot(team_a, send_digests=False)
    branch_robot = make_robot(branch, send_digests=False)  # the branch's leaders supervise

    run_day(clock)

    chase = WebhookDelivery.objects.get(kind=WebhookDelivery.Kind.CHASE)
    supervision = WebhookDelivery.objects.get(kind=WebhookDelivery.Kind.SUPERVISION)
    assert chase.target == team_robot
    assert chased.reference in chase.payload["markdown"]["content"]
    assert supervision.target == branch_robot
    assert supervised.reference in supervision.payload["markdown"]["content"]
    assert supervised.reference not in chase.payload["markdown"]["content"]


def test_a_second_run_of_the_day_makes_and_sends_nothing_more(clock, team_a, cadre_a, make_robot, robot_server):
    late_concern(team_a, cadre_a)
    make_robot(team_a)

    run_day(clock)
    send_due()
    run_day(clock)
    send_due()

    assert WebhookDelivery.objects.count() == 2
    assert len(robot_server.received) == 2


def test_an_inactive_robot_or_one_not_taking_a_kind_gets_nothing(clock, team_a, cadre_a, make_robot, robot_server):
    late_concern(team_a, cadre_a)
    make_robot(team_a, active=False)
    make_robot(team_a, name="digests only", send_chases=False)

    run_day(clock)
    send_due()

    assert list(WebhookDelivery.objects.values_list("target__name", "kind")) == [
        ("digests only", WebhookDelivery.Kind.DIGEST)
    ]
    assert len(robot_server.received) == 1


def test_a_dry_run_or_a_day_off_makes_no_message(clock, team_a, cadre_a, make_robot, robot_server):
    late_concern(team_a, cadre_a)
    make_robot(team_a)

    clock.on(TODAY, hour=7, minute=30)
    call_command("send_reminders", "--today", TODAY.isoformat(), "--dry-run", stdout=io.StringIO())
    run_day(clock, TODAY.replace(day=5))  # a Saturday

    assert not WebhookDelivery.objects.exists()
    assert robot_server.received == []
