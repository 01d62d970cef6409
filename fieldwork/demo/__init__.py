"""Demo data for `manage.py seed_demo`: the essay's kind of organisation, its people, and a year of work.

Rows are generated as plain tuples, never model instances, so that a million visits with their
concerns, actions, callbacks and events load in minutes: COPY on PostgreSQL, executemany elsewhere
(bulk.py). Every rule they follow is the domain's own, imported, never copied: the working-day
calendar (workdays), due dates and references (services.concerns), the chasing ladder's days,
recipients and notes (ladder), the notes of the other events (services), receipt codes (public).

Modules, by what they build: organisation.py (the unit tree), people.py (accounts, memberships,
the sign-in table), visits.py (visits and the concerns heard on them), lifecycle.py (each
concern's life), chasing.py (extension requests and the ladder's history), public_channel.py
(public concerns and receipt codes), with texts.py (the words), clock.py (time and the calendar by
day number), generator.py (the loop that ties them) and seed.py (the load).
"""

from .people import PASSWORD, format_table, sign_in_rows
from .public_channel import showcase_receipt_line
from .seed import DEFAULT_MONTHS, DEFAULT_SEED, DEFAULT_VISITS, Result, seed, step_table

__all__ = [
    "DEFAULT_MONTHS",
    "DEFAULT_SEED",
    "DEFAULT_VISITS",
    "PASSWORD",
    "Result",
    "format_table",
    "seed",
    "showcase_receipt_line",
    "sign_in_rows",
    "step_table",
]
