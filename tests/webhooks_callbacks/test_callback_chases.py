"""Late callbacks reach the group robots as the due date's chases do: the callback's 催办 in the 催办
message of the callers' unit (or the nearest unit above with a robot), its escalation in the 督办 message
of the leaders above; with references, units, the callback deadline and counts, never the raiser's name
or contact; a public concern still in its person's window reaches no robot. Sent to the local recording
server, once however often the run and the workers go."""

import datetime
import io

import pytest
from django.core.management import call_command

from fieldwork.models import Concern, WebhookDelivery
from fieldwork.services import concerns as concern_services
from fieldwork.services import public as public_services
from tests.factories import category
from tests.webhooks.helpers import send_due

D = datetime.date
RAISER = "刘师傅"
CONTACT = "13900001111"

pytestmark = pytest.mark.clock(2026, 12, 1)  # a Tuesday


def resolved(unit, owner) -> Concern:
    """Raised with the raiser's name and contact, resolved on 1 December: its callback is due on the 4th."""
    concern = concern_services.concern_create(
        unit=unit,
        data=concern_services.ConcernInput(
            title="Switch room lights flicker", category=category(), raised_by_name=RAISER, raised_by_contact=CONTACT
        ),
        by=owner,
        owner=owner,
    )
    concern_services.concern_start(concern=concern, by=owner, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=owner, version=concern.version, resolution="Replaced.")
    concern.refresh_from_db()
    return concern


def run_day(clock, day: datetime.date) -> None:
    clock.on(day, hour=7, minute=30)
    call_command("send_reminders", "--today", day.isoformat(), stdout=io.StringIO())


def texts(robot_server) -> list[str]:
    return [received.body["markdown"]["content"] for received in robot_server.received]


def test_callback_chase_goes_to_the_callers_unit_robot_in_the_installations_language(
    clock, settings, team_a, branch, cadre_a, cadre_a2, leader_team_a, make_robot, robot_server
):
    settings.LANGUAGE_CODE = "zh-hans"
    concern = resolved(team_a, cadre_a)
    assert concern.callback_due == D(2026, 12, 4)
    robot = make_robot(team_a, send_digests=False, send_supervision=False)
    make_robot(branch, send_digests=False, send_chases=False, send_supervision=False)  # takes none of these
    run_day(clock, D(2026, 12, 4))  # the callback's reminder: mail only, no robot message
    assert not WebhookDelivery.objects.exists()
    run_day(clock, D(2026, 12, 7))  # the first working day after the deadline: 催办
    run_day(clock, D(2026, 12, 7))  # a second run of the day makes nothing new
    assert send_due() == ["sent"]
    assert send_due() == ["not due, or claimed by another worker"]  # a second worker sends nothing
    (delivery,) = WebhookDelivery.objects.all()
    assert (delivery.target_id, delivery.kind, delivery.day) == (robot.pk, WebhookDelivery.Kind.CHASE, D(2026, 12, 7))
    (content,) = texts(robot_server)
    assert concern.reference in content and f"/concerns/{concern.pk}/" in content
    assert team_a.name in content
    assert "2026年12月4日" in content  # the callback deadline, as a Chinese unit writes it
    assert "2026年12月7日" in content  # the day
    for secret in (RAISER, CONTACT, concern.title, "赵强", "陈军", "王伟"):  # no raiser, no title, no names
        assert secret not in content


def test_escalation_goes_to_the_robot_of_the_leaders_above(
    clock, team_a, branch, cadre_a, cadre_a2, leader_team_a, leader_branch, make_robot, robot_server
):
    concern = resolved(team_a, cadre_a)
    team_robot = make_robot(team_a, send_digests=False)
    branch_robot = make_robot(branch, send_digests=False)
    for day in (D(2026, 12, 4), D(2026, 12, 7), D(2026, 12, 8), D(2026, 12, 9)):
        run_day(clock, day)
    deliveries = list(WebhookDelivery.objects.order_by("day").values_list("target_id", "kind", "day"))
    assert deliveries == [
        (team_robot.pk, WebhookDelivery.Kind.CHASE, D(2026, 12, 7)),  # 催办 to the callers' group
        (branch_robot.pk, WebhookDelivery.Kind.SUPERVISION, D(2026, 12, 9)),  # two working days later, above
    ]
    assert send_due() == ["sent", "sent"]
    chase, escalation = texts(robot_server)
    assert "Callback late: " in chase and "callback due 4 Dec 2026, 1 working day late" in chase
    assert "awaiting a late callback" in chase
    assert "Callback late, to the leaders above: " in escalation
    assert "callback due 4 Dec 2026, 3 working days late" in escalation
    assert concern.reference in chase and concern.reference in escalation
    for content in (chase, escalation):
        assert RAISER not in content and CONTACT not in content


def test_a_unit_without_a_robot_is_covered_by_the_nearest_above(
    clock, team_a, branch, cadre_a, cadre_a2, make_robot, robot_server
):
    concern = resolved(team_a, cadre_a)
    robot = make_robot(branch, send_digests=False)
    run_day(clock, D(2026, 12, 4))
    run_day(clock, D(2026, 12, 7))
    assert list(WebhookDelivery.objects.values_list("target_id", "kind")) == [(robot.pk, WebhookDelivery.Kind.CHASE)]
    send_due()
    (content,) = texts(robot_server)
    assert concern.reference in content


def test_a_public_concern_in_its_persons_window_reaches_no_robot(
    clock, team_a, leader_team_a, cadre_a2, make_robot, robot_server
):
    concern, _code = public_services.public_concern_raise(
        unit=team_a,
        category=category(),
        description="The stairs are icy.",
        anonymous=False,
        name=RAISER,
        contact=CONTACT,
    )
    concern_services.concern_start(concern=concern, by=leader_team_a, version=concern.version)
    concern_services.concern_resolve(concern=concern, by=leader_team_a, version=concern.version, resolution="Salt.")
    concern.refresh_from_db()
    assert (concern.callback_from, concern.callback_due) == (D(2026, 12, 4), D(2026, 12, 9))
    make_robot(team_a, send_digests=False)
    for day in (D(2026, 12, 2), D(2026, 12, 3), D(2026, 12, 4), D(2026, 12, 7), D(2026, 12, 8), D(2026, 12, 9)):
        run_day(clock, day)
    assert not WebhookDelivery.objects.exists()  # not late yet: nobody chased
    run_day(clock, D(2026, 12, 10))
    assert list(WebhookDelivery.objects.values_list("kind", "day")) == [(WebhookDelivery.Kind.CHASE, D(2026, 12, 10))]
    send_due()
    (content,) = texts(robot_server)
    assert concern.reference in content and RAISER not in content and CONTACT not in content
