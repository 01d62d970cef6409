"""What the attempt tests share: the addresses, and calls that reach nobody on the days given."""

from django.urls import reverse

from fieldwork.services import callbacks as callback_services


def attempt_url(concern) -> str:
    return reverse("fieldwork:concern-attempt", args=[concern.pk])


def unreachable_url(concern) -> str:
    return reverse("fieldwork:concern-unreachable", args=[concern.pk])


def calls_on_days(clock, concern, by, *, days: int, per_day: int = 1) -> None:
    """`per_day` calls that reach nobody on each of `days` days, from today on; the clock ends on the last."""
    for day in range(days):
        if day:
            clock.move(days=1)
        for _call in range(per_day):
            callback_services.callback_attempt_record(concern=concern, by=by, note="No answer")
