"""What the rollup tests share: a small world, the check that stored rollups equal a recount, and the
steps that move a concern up the ladder or extend it."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from fieldwork import ladder, rollups, workdays
from fieldwork.models import Concern, Feedback, Visit
from fieldwork.services import callbacks as callback_services
from fieldwork.services import concerns as concern_services
from fieldwork.services import extensions as extension_services
from fieldwork.services import visits as visit_services

START = datetime.datetime(2026, 1, 20, 9, 0, tzinfo=timezone.get_default_timezone())


@dataclass
class World:
    units: list
    cadre: object
    leader: object
    caller: object
    categories: list
    principles: list


def assert_in_step():
    monthly = rollups.recount()
    assert rollups.stored() == monthly
    assert rollups.stored_years() == rollups.years_of(monthly)
    assert rollups.stored_now() == rollups.recount_now()


def extend_due(world, concern, *, to: datetime.date, approve: bool = True):
    concern.refresh_from_db()
    request = extension_services.extension_request(
        concern=concern, by=world.cadre, requested_due_date=to, reason="Parts late"
    )
    concern.refresh_from_db()
    extension_services.extension_decide(
        request=request, by=world.leader, approve=approve, note="" if approve else "No", version=concern.version
    )
    concern.refresh_from_db()


def climb(concern, *, first: datetime.date, runs: int) -> None:
    """send_reminders on `runs` working days from `first`: the ladder's rungs, one a day."""
    day = first
    for _run in range(runs):
        ladder.concern_ladder_advance(concern=concern, today=day)
        day = workdays.next_working_day(day)
    concern.refresh_from_db()


def baseline_story(world: World, clock) -> tuple[list[Concern], list[Visit]]:
    """A visit in every unit and concerns in every state, spread over December and January.

    Every random step then meets counted rows: a unit moved carries totals, a concern withdrawn
    may have a callback in another month, and so on.
    """
    clock.now = datetime.datetime(2025, 12, 1, 9, 0, tzinfo=timezone.get_default_timezone())
    visits = [
        visit_services.visit_record(
            by=world.cadre,
            unit=unit,
            date=datetime.date(2025, 12, 1),
            form=Visit.Form.HOME_VISIT,
            people_reached=index + 1,
            summary="Heard about the canteen.",
            principles=world.principles[: index % 3],
        )
        for index, unit in enumerate(world.units)
    ]
    concerns = [
        concern_services.concern_raise(
            by=world.cadre,
            unit=world.units[2 + index],
            data=concern_services.ConcernInput(
                title=f"Baseline {index}",
                category=world.categories[index % 2],
                principles=world.principles[: index % 3],
            ),
        )
        for index in range(5)
    ]
    clock.now += datetime.timedelta(days=1)
    for concern in concerns[1:]:
        concern_services.concern_start(concern=concern, by=world.cadre, version=concern.version)
    clock.now += datetime.timedelta(days=19)
    for concern in concerns[2:]:
        concern_services.concern_resolve(concern=concern, by=world.cadre, version=concern.version, resolution="Done")
    clock.now = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=timezone.get_default_timezone())
    for concern, satisfaction in zip(concerns[3:], ["dissatisfied", "satisfied"], strict=True):
        callback_services.feedback_record(
            concern=concern,
            by=world.caller,
            version=concern.version,
            satisfaction=satisfaction,
            channel=Feedback.Channel.PHONE,
        )
    clock.now = START
    # Hypothesis favours small indexes: the concerns with the longest stories first
    # (reopened with a callback in January, closed, resolved, in progress, open).
    return concerns[::-1], visits
