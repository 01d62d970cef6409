"""What every page of a signed-in leader or administrator may need to be told."""

from __future__ import annotations

from functools import cache

from . import scope, workdays


def calendar_warning(request) -> dict:
    """`calendar_warning`: the years of the next 90 days that the State Council's notice does not
    cover yet, for the banner that tells the calendar's keepers (administrators and leaders) to load
    it. Worked out only when a template asks, from the calendar the request reads anyway."""
    user = getattr(request, "user", None)

    @cache
    def years() -> list[int]:
        if user is None or not user.is_authenticated or not (user.is_staff or scope.leads_anything(user)):
            return []
        return workdays.years_to_warn()

    return {"calendar_warning": years}
