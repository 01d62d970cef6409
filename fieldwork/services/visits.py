"""Visits (走访): logging one with the concerns raised on it, and editing it.

A visit and its concerns are saved all or nothing; each visit save writes one history record.

What makes a visit's record make sense lives in `visit_checks`, used by the form (to answer with the
message beside the field, or ask for a confirmation) and by the services themselves (which refuse
what it refuses, and what needs a confirmation without one): an API or the offline sync gets the
same answers.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import contact_points, permissions, rollups
from ..display import actor_name
from ..errors import DomainError, VisitConflict, VisitRefused
from ..models import VISIT_HISTORY, Concern, Principle, Unit, Visit
from . import concerns as concern_services
from .concerns import ConcernInput


@dataclass(frozen=True)
class VisitChecks:
    """What `visit_checks` found, each as {form field: message}."""

    refused: dict[str, str] = field(default_factory=dict)  # cannot be saved as it is
    to_confirm: dict[str, str] = field(default_factory=dict)  # saved only with a reason confirmed
    backdated: bool = False  # dated more than VISIT_BACKDATE_DAYS before it was recorded


def visit_checks(
    *,
    unit: Unit,
    date: datetime.date,
    people_reached: int,
    summary: str,
    concern_count: int,
    visit: Visit | None = None,
    saved_at: datetime.datetime | None = None,
) -> VisitChecks:
    """Whether a visit's record makes sense: the one place of these rules.

    - It says what was heard (a summary) or records at least one concern.
    - Its date is not in the future, nor more than VISIT_OLDEST_DAYS before it is saved (refused), and
      one more than VISIT_BACKDATE_DAYS before is back-dated: it asks for a confirmation.
    - More people reached than the unit's headcount (without one, VISIT_PEOPLE_CEILING) asks for a
      confirmation.

    `saved_at` is when the person saved it (the phone's time for one saved offline; never later
    than now), by default now. For an edit (`visit`), the save time is the visit's first one, its
    concerns count, and only a date, unit or number changed by the edit asks for a confirmation again.
    """
    config = settings.FIELDWORK
    now = timezone.now()
    stored = None
    if visit is not None:
        # as stored: a model form has already put the edit's values on the instance
        stored = Visit.objects.values("date", "people_reached", "unit_id", "created_at").get(pk=visit.pk)
        saved_at = stored["created_at"]
        concern_count += visit.concerns.count()
    saved_on = timezone.localdate(min(saved_at or now, now))
    refused: dict[str, str] = {}
    to_confirm: dict[str, str] = {}
    if not summary.strip() and concern_count < 1:
        refused["summary"] = _("Say what was heard, or add at least one concern raised on the visit.")
    days_back = (saved_on - date).days
    oldest = config["VISIT_OLDEST_DAYS"]
    if date > timezone.localdate(now):
        refused["date"] = _("A visit cannot be dated in the future.")
    elif days_back > oldest:
        refused["date"] = ngettext(
            "A visit dated more than %(days)d day before it is logged cannot be saved: check the date.",
            "A visit dated more than %(days)d days before it is logged cannot be saved: check the date.",
            oldest,
        ) % {"days": oldest}
    backdated = days_back > config["VISIT_BACKDATE_DAYS"]
    if backdated and "date" not in refused and (stored is None or stored["date"] != date):
        to_confirm["date"] = ngettext(
            "This date is %(days)d day before the visit is logged. If it is right, confirm it below and say "
            "why the visit is logged late.",
            "This date is %(days)d days before the visit is logged. If it is right, confirm it below and say "
            "why the visit is logged late.",
            days_back,
        ) % {"days": days_back}
    limit = unit.headcount or config["VISIT_PEOPLE_CEILING"]
    changed = stored is None or stored["people_reached"] != people_reached or stored["unit_id"] != unit.pk
    if people_reached > limit and changed:
        if unit.headcount:
            message = _(
                "More people than %(unit)s has (%(limit)s). If the number is right, confirm it below and say why."
            ) % {"unit": unit.name, "limit": limit}
        else:
            message = _(
                "More people than a visit usually reaches (%(limit)s). If the number is right, confirm it below "
                "and say why."
            ) % {"limit": limit}
        to_confirm["people_reached"] = message
    return VisitChecks(refused=refused, to_confirm=to_confirm, backdated=backdated)


def _checked(checks: VisitChecks, note: str) -> str:
    """The reason to store with the visit; refuses what the checks refuse or want confirmed."""
    if checks.refused:
        raise VisitRefused(checks.refused)
    note = note.strip()
    if checks.to_confirm and not note:
        raise VisitRefused(checks.to_confirm)
    return note if checks.to_confirm else ""


@rollups.in_step
def visit_record(
    *,
    by: AbstractBaseUser,
    unit: Unit,
    date: datetime.date,
    form: str,
    people_reached: int,
    location: str = "",
    summary: str = "",
    cadres: Iterable[AbstractBaseUser] = (),
    principles: Iterable[Principle] = (),
    concerns: Sequence[ConcernInput] = (),
    confirmation_note: str = "",
    saved_at: datetime.datetime | None = None,
) -> Visit:
    """Log a grassroots visit with the concerns raised on it, all or nothing.

    What `visit_checks` refuses is refused (VisitRefused, naming the fields); what it wants confirmed
    is saved only with a `confirmation_note`, the reasons the person gave, kept on the visit.
    """
    permissions.unit_guard(user=by, unit=unit)
    if people_reached < 1:
        raise DomainError(_("At least one person must have been reached."))
    checks = visit_checks(
        unit=unit,
        date=date,
        people_reached=people_reached,
        summary=summary,
        concern_count=len(concerns),
        saved_at=saved_at,
    )
    note = _checked(checks, confirmation_note)
    with transaction.atomic():
        visit = Visit(
            unit=unit,
            date=date,
            form=form,
            location=location.strip(),
            people_reached=people_reached,
            summary=summary.strip(),
            author=by,
            backdated=checks.backdated,
            confirmation_note=note,
        )
        with _one_history_record(visit, by=by, created=True):
            visit.save()
            visit.cadres.set({by, *cadres})
            visit.principles.set(principles)
        contact_points.visit_saved(visit)  # the cadres' contact points it visits (联系点)
        for data in concerns:
            concern_services.concern_create(
                unit=unit, data=data, by=by, source=Concern.Source.VISIT, visit=visit, owner=by
            )
    return visit


@contextlib.contextmanager
def _one_history_record(visit: Visit, *, by, created: bool):
    """One history record for a visit's save and its cadres and principles, written once they are all set."""
    visit.skip_history_when_saving = True
    try:
        yield
    finally:
        del visit.skip_history_when_saving
    # reached only when the block succeeded: a failed save leaves no record
    visit._history_user = by
    VISIT_HISTORY.create_historical_record(visit, "+" if created else "~")


@rollups.in_step
def visit_update(
    *,
    visit: Visit,
    by: AbstractBaseUser,
    unit: Unit,
    date: datetime.date,
    form: str,
    people_reached: int,
    location: str = "",
    summary: str = "",
    cadres: Iterable[AbstractBaseUser] = (),
    principles: Iterable[Principle] = (),
    concerns: Sequence[ConcernInput] = (),
    version: int,
    confirmation_note: str = "",
) -> Visit:
    """Edit a visit (its author or a leader of its unit); new concerns may be added, none removed.

    `version` is the one the person's form was opened on: UPDATE ... WHERE version = <seen> claims
    the next one, so of two people editing the same version the second is refused (VisitConflict,
    saying who changed what meanwhile) instead of silently overwriting the first.

    `visit_checks` applies as to a new visit, counted from when the visit was first logged; a reason
    confirmed for the edit is added to the visit's.
    """
    if not permissions.visit_can_edit(user=by, visit=visit):
        raise DomainError(_("Only the author or a leader of the unit can edit this visit."))
    permissions.unit_guard(user=by, unit=unit)
    checks = visit_checks(
        unit=unit,
        date=date,
        people_reached=people_reached,
        summary=summary,
        concern_count=len(concerns),
        visit=visit,
    )
    note = _checked(checks, confirmation_note)
    with transaction.atomic():
        before = contact_points.visit_before(visit)
        if Visit.objects.filter(pk=visit.pk, version=version).update(version=F("version") + 1) != 1:
            current = Visit.objects.get(pk=visit.pk)
            raise VisitConflict(visit_changes_since(visit=current, version=version), version=current.version)
        visit.version = version + 1
        visit.unit, visit.date, visit.form = unit, date, form
        visit.location, visit.summary, visit.people_reached = (
            location.strip(),
            summary.strip(),
            people_reached,
        )
        visit.backdated = checks.backdated
        if note:
            visit.confirmation_note = f"{visit.confirmation_note}\n{note}".strip()
        with _one_history_record(visit, by=by, created=False):
            visit.save()
            visit.cadres.set({visit.author, *cadres})
            visit.principles.set(principles)
        contact_points.visit_saved(visit, before=before)  # those it visits now or visited before the edit
        for data in concerns:
            concern_services.concern_create(
                unit=unit, data=data, by=by, source=Concern.Source.VISIT, visit=visit, owner=by
            )
    return visit


# Fields a person does not edit: left out of what the conflict message lists.
_UNLISTED = frozenset({"version", "updated_at", "created_at", "author"})


def visit_changes_since(*, visit: Visit, version: int) -> str:
    """The conflict message for an edit form opened at `version`: who changed the visit since, when,
    and which of its fields (from its history, where each record keeps the version it made)."""
    records = list(visit.history.filter(version__gte=version).select_related("history_user").order_by("history_date"))
    base = next((record for record in records if record.version == version), None)
    later = [record for record in records if record.version > version]
    fields: list[str] = []
    if base is not None and later:
        delta = later[-1].diff_against(base)
        fields = [
            str(capfirst(Visit._meta.get_field(name).verbose_name))
            for name in delta.changed_fields
            if name not in _UNLISTED
        ]
    names = list(dict.fromkeys(actor_name(record.history_user) for record in later)) or [_("someone else")]
    when = date_format(timezone.localtime(later[-1].history_date), "DATETIME_FORMAT") if later else ""
    return _(
        "%(who)s changed this visit after you opened it (%(when)s: %(fields)s). Nothing you entered is "
        "saved yet: the form keeps what you typed; check the visit as it is now and save again to keep yours."
    ) % {"who": ", ".join(names), "when": when, "fields": ", ".join(fields) or _("its details")}
