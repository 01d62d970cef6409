"""Rollups: the dashboard's figures stored per unit subtree, kept in step with every write.

The package by subject: `counting` (what is counted and how, read only), `store` (writing,
rebuilding), `upkeep` (when: `@in_step` services, signal receivers, `suspended()`). Callers use
the names below, `from fieldwork import rollups; rollups.rebuild()`.

A `UnitMonth` row holds the totals of a unit's subtree (the unit and everything below it) for one
calendar month; `UnitYear` the months of a year in which the subtree had a visit (coverage);
`UnitNow` the subtree's concerns open now, by due date (open and overdue now), and those awaiting a
callback. The dashboard reads
a few dozen rows instead of scanning a million visits.

How they stay right
-------------------
A unit's *own* figures for a month (its own visits, concerns and callbacks, not its children's)
are `row(unit) − Σ row(child)`. Whenever something changes the rows of unit u in months M,
`store.refresh(u, M)` recounts u's own figures for M from its rows (a unit has few rows a month, so
this is cheap), subtracts what the rollups held for it, and adds the difference to u and to every
ancestor (the materialised path names them without a query). Recounting instead of incrementing
makes the upkeep idempotent and self-healing: running it twice changes nothing, and a change that
slipped past the hooks (a bulk update) is absorbed by the next refresh of that unit and month.

When it runs: signal receivers (connected in apps.py) see every save of a visit, concern,
callback, event, principle tag and unit, and refresh at once, inside the writing transaction.
A service decorated with `@in_step` (visit_record, visit_update, concern_create) instead collects
what it touched and refreshes once, at its end, still inside its transaction: one refresh instead
of one per row, and the rollup locks are taken after the reference counter's, in the same order
as everywhere else, so two writers never wait on each other in a cycle.

Concurrency: on PostgreSQL every upkeep takes one transaction-level advisory lock first, so two
transactions never interleave a recount and its write (the hot rows, the root's months, would
serialise them anyway). Readers never wait. A transaction that takes the lock and then waits for
another row lock (say, a second concern's in a bulk operation) could meet a writer holding that
row and waiting for the lock: PostgreSQL then cancels one of the two (a deadlock error); the
services take their concern's row lock before any upkeep, so they do not.

Loading rows past save() (bulk_create, COPY, a fixture with raw=True): wrap it in `suspended()`
or not, then run `rebuild()` (`manage.py rebuild_rollups`).

What is counted, and when (DESIGN.md, "Dashboard figures: definitions", in the configured time
zone): a visit in the month of its date; a concern's "raised" counters in the month it was
raised; its "resolved" counters in the month of its latest move into resolved (services clear
`resolved_at` when a dissatisfied callback reopens it); a callback in the month of its date; a
concern's coming under supervision (督办) in the month of `supervised_at`; an approved extension
request in the month of its decision; a callback's within-limit counters (`callbacks_due`,
`callbacks_in_time`, from `Feedback.due_date`) in the month of its date; a concern closed as
unreachable or no answer in the month of `closed_at`. `UnitNow` also holds the resolved concerns that
will be called back, by the day they join the queue (`callbacks_by_from`) and by their callback
deadline (`callbacks_by_due`). Withdrawn concerns count only in `concerns_withdrawn`.

Dashboards cache their rendered page under the stamp (RollupStamp): every upkeep renews it inside
its own transaction (`store.lock`), and so does every save of a unit, principle or category.
"""

from . import days
from .counting import (
    COUNTERS,
    FIELDS,
    SATISFIED,
    Bucket,
    Ranges,
    ancestor_ids,
    bucket_add,
    bucket_of,
    count_rows,
    day_start,
    empty_bucket,
    local_date,
    month_of,
    next_month,
    response_deadline,
    response_window_start,
)
from .store import (
    rebuild,
    rebuild_if_outdated,
    recount,
    recount_now,
    refresh_response_limits,
    stamp,
    stamp_renew,
    stored,
    stored_now,
    stored_years,
    years_of,
)
from .upkeep import concern_moved, connect, in_step, suspended

__all__ = [
    "COUNTERS",
    "FIELDS",
    "SATISFIED",
    "Bucket",
    "Ranges",
    "ancestor_ids",
    "bucket_add",
    "bucket_of",
    "concern_moved",
    "connect",
    "count_rows",
    "day_start",
    "days",
    "empty_bucket",
    "in_step",
    "local_date",
    "month_of",
    "next_month",
    "rebuild",
    "rebuild_if_outdated",
    "recount",
    "recount_now",
    "refresh_response_limits",
    "response_deadline",
    "response_window_start",
    "stamp",
    "stamp_renew",
    "stored",
    "stored_now",
    "stored_years",
    "suspended",
    "years_of",
]
