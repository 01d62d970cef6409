"""What the pairing pages read (issue 21 item 2): a cadre's paired workers with the days since the last
contact, and one pairing's history. The last contact is the latest of a visit naming the worker, a
concern from them, and help given on any of their pairings: three correlated subqueries in the one
query of the list, each served by an index (person_visit_unique, concern person FK, help_pairing_given).
"""

from __future__ import annotations

import datetime

from django.db.models import DateField, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate

from .models import Concern, HelpGiven, Pairing, PersonVisit, Visit


def with_last_contact(pairings: QuerySet) -> QuerySet:
    visits = PersonVisit.objects.filter(person=OuterRef("person"))
    concerns = Concern.objects.filter(person=OuterRef("person"))
    helps = HelpGiven.objects.filter(pairing__person=OuterRef("person"))
    return pairings.annotate(
        last_visit=Subquery(visits.order_by("-visit__date").values("visit__date")[:1], output_field=DateField()),
        last_concern=Subquery(
            concerns.order_by("-raised_at").annotate(day=TruncDate("raised_at")).values("day")[:1],
            output_field=DateField(),
        ),
        last_help=Subquery(helps.order_by("-given_on").values("given_on")[:1], output_field=DateField()),
    )


def days_since(row, today: datetime.date) -> int | None:
    days = [d for d in (row.last_visit, row.last_concern, row.last_help) if d is not None]
    return (today - max(days)).days if days else None


def my_pairings(*, user, today: datetime.date) -> list[Pairing]:
    """The cadre's current pairings, the longest without contact first (never contacted: first of all)."""
    rows = list(
        with_last_contact(Pairing.objects.filter(cadre=user, ended_at__isnull=True).select_related("person", "unit"))
    )
    for row in rows:
        row.days_since = days_since(row, today)
    rows.sort(key=lambda row: (row.days_since is not None, -(row.days_since or 0), row.pk))
    return rows


def pairing_history(pairing: Pairing, *, limit: int = 50) -> dict:
    """A pairing's history: visits naming the worker (a heart-to-heart talk by its summary only), their
    concerns, and the help given on this pairing; each the newest `limit`."""
    person = pairing.person
    visits = Visit.objects.filter(persons_met__person=person).order_by("-date", "-id")[:limit]
    return {
        "visits": [v for v in visits if v.form != Visit.Form.HEART_TO_HEART],
        "talks": [v for v in visits if v.form == Visit.Form.HEART_TO_HEART],
        "concerns": list(Concern.objects.filter(person=person).order_by("-raised_at", "-id")[:limit]),
        "help": list(pairing.help_given.order_by("-given_on", "-id")[:limit]),
    }
