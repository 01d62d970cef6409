"""The admin of group robots: a unit's administrators see and set only their units' robots (another unit's is
a 404), never delete one, and never see a signing secret again once typed; the messages posted are
shown read-only, in the same scope."""

import pytest

from fieldwork import webhooks
from fieldwork.models import UnitWebhook, WebhookDelivery
from tests.webhooks.helpers import TODAY

pytestmark = pytest.mark.django_db
SECRET = "SECabcdefghijklmnop1234567890wxyz"


def message(robot, clock) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        target=robot,
        kind=WebhookDelivery.Kind.DIGEST,
        day=TODAY,
        payload=webhooks.webhook_payload(robot.platform, title="t", text=f"digest of {robot.unit.name}"),
        next_attempt_at=clock.now,
    )


@pytest.fixture
def robots(clock, team_a, other_branch, make_robot):
    mine = make_robot(team_a, name="team A group", platform="dingtalk", secret=SECRET)
    theirs = make_robot(other_branch, name="dispatch group")
    return mine, theirs, message(mine, clock), message(theirs, clock)


def test_lists_show_only_the_users_units(client, staff_branch, robots):
    client.force_login(staff_branch)
    robots_page = client.get("/admin/fieldwork/unitwebhook/").content.decode()
    messages_page = client.get("/admin/fieldwork/webhookdelivery/").content.decode()

    assert "team A group" in robots_page
    assert "dispatch group" not in robots_page
    assert "team A group" in messages_page
    assert "dispatch group" not in messages_page
    assert "robot-key-1234" not in robots_page  # the address's key is cut: "key=robo…"
    assert "key=robo…" in robots_page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/fieldwork/unitwebhook/{theirs}/change/",
        "/admin/fieldwork/unitwebhook/{theirs}/history/",
        "/admin/fieldwork/webhookdelivery/{their_message}/change/",
    ],
)
def test_another_units_robot_or_message_is_a_404(client, staff_branch, robots, path):
    _mine, theirs, _my_message, their_message = robots
    client.force_login(staff_branch)

    response = client.get(path.format(theirs=theirs.pk, their_message=their_message.pk))

    assert response.status_code == 404


def test_a_robot_cannot_be_set_for_a_unit_outside_ones_own(client, staff_branch, other_branch, robots, robot_server):
    client.force_login(staff_branch)
    response = client.post(
        "/admin/fieldwork/unitwebhook/add/",
        {"unit": other_branch.pk, "name": "x", "platform": "wecom", "url": robot_server.url, "active": "on"},
    )

    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert UnitWebhook.objects.count() == 2


def test_the_secret_is_never_shown_back_and_an_empty_field_keeps_it(client, staff_branch, robots, robot_server):
    mine, *_ = robots
    client.force_login(staff_branch)
    page = client.get(f"/admin/fieldwork/unitwebhook/{mine.pk}/change/").content.decode()

    assert SECRET not in page
    assert SECRET[:-4] not in page
    assert "…wxyz" in page

    response = client.post(
        f"/admin/fieldwork/unitwebhook/{mine.pk}/change/",
        {
            "unit": mine.unit_id,
            "name": "renamed",
            "platform": "dingtalk",
            "url": mine.url,
            "secret": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.secret) == ("renamed", SECRET)
    history = mine.history.order_by("-history_id").first()
    assert history.name == "renamed"
    assert not hasattr(history, "secret")  # the history keeps the hint, never the secret
    assert SECRET not in client.get(f"/admin/fieldwork/unitwebhook/{mine.pk}/history/").content.decode()


def test_a_new_secret_replaces_the_old_and_a_wecom_robot_takes_none(client, staff_branch, robots):
    mine, *_ = robots
    client.force_login(staff_branch)
    url = f"/admin/fieldwork/unitwebhook/{mine.pk}/change/"
    base = {"unit": mine.unit_id, "name": mine.name, "url": mine.url, "active": "on"}

    response = client.post(url, {**base, "platform": "wecom", "secret": "SECnew"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["secret"]

    assert client.post(url, {**base, "platform": "dingtalk", "secret": "SECnew-9876"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.secret, mine.secret_hint) == ("SECnew-9876", "…9876")


def test_robots_are_deactivated_not_deleted_and_messages_are_read_only(client, staff_branch, robots):
    mine, _theirs, my_message, _their_message = robots
    client.force_login(staff_branch)

    assert client.post(f"/admin/fieldwork/unitwebhook/{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/fieldwork/webhookdelivery/add/").status_code == 403
    page = client.get(f"/admin/fieldwork/webhookdelivery/{my_message.pk}/change/")
    assert page.status_code == 200
    assert "digest of Team A" in page.content.decode()
    client.post(f"/admin/fieldwork/webhookdelivery/{my_message.pk}/change/", {"status": "sent"})
    assert client.post(f"/admin/fieldwork/webhookdelivery/{my_message.pk}/delete/", {"post": "yes"}).status_code == 403
    my_message.refresh_from_db()
    assert my_message.status == WebhookDelivery.Status.PENDING
    assert UnitWebhook.objects.filter(pk=mine.pk).exists()


def test_anonymous_and_non_staff_are_sent_to_sign_in(client, cadre_a, robots):
    mine, *_ = robots
    assert client.get(f"/admin/fieldwork/unitwebhook/{mine.pk}/change/").status_code == 302
    client.force_login(cadre_a)
    assert client.get(f"/admin/fieldwork/unitwebhook/{mine.pk}/change/").status_code == 302
