"""The rollups rebuilt inside PostgreSQL: every unit's own figures counted by grouping queries, carried
up to its ancestors by a join with the materialised path, and written by INSERT ... SELECT.

The counting rules are counting.py's (`count_rows`, `count_now`), written here a second time in SQL
for speed: at a million visits the Python recount reads every concern into Python, this reads only
the rollups' rows back (none). counting.py stays the reference: tests/rollup_rebuild/ holds the two
equal on demo data and its edge cases. The response limit is not written again: the working-day
rule (counting.response_deadline) is asked in Python for every day concerns were raised on, and
the query reads its answers from a table of (day, deadline). Withdrawn, done and active statuses,
the policy solvability and the satisfied answers come from the models, as counting.py takes them.

Each unit's own figures go first into one narrow table of facts (unit, day, field, key, n): a
counter has no key, a map one entry per key; the figures of UnitNow have no day. Summed by month
over each unit's ancestors and pivoted by field, they give the monthly rows (maps by
jsonb_object_agg); summed by day over each unit's kept units (days.py), the day rows (UnitDay), from
the same facts in the same transaction (`rebuild_days`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection

from ..models import Concern, ExtensionRequest, Feedback, UnitDay, UnitMonth, UnitNow, UnitYear, Visit
from .counting import ACTIVE, COUNTERS, DONE, FIELDS, MAPS, NOW_MAPS, SATISFIED, response_deadline

# Each unit's own facts, by local day. A counter's key is NULL; UnitNow's facts have no day.
# Left in place by rebuild_rows for rebuild_days; dropped at the end of the transaction.
FACTS = "rollup_facts"
DEADLINES = "rollup_deadlines"  # (day raised, last day taken up within the response limit)


def _scope(column: str, path: str | None) -> str:
    """A condition keeping the rows of the units under `path` (every unit when None)."""
    if path is None:
        return "TRUE"
    return f"{column} IN (SELECT id FROM fieldwork_unit WHERE path LIKE %(prefix)s)"


def _local(column: str) -> str:
    """The calendar day of a moment in the configured time zone, as counting.local_date."""
    return f"({column} AT TIME ZONE %(zone)s)::date"


def _fact_queries(path: str | None) -> list[str]:
    """INSERT INTO the facts: one statement per counting.py query, the same rules."""
    concern = Concern._meta.db_table
    visit_tags = Visit.principles.through._meta.db_table
    concern_tags = Concern.principles.through._meta.db_table
    scope_c = _scope("c.unit_id", path)
    counters = "CROSS JOIN LATERAL (VALUES {}) AS f(field, n) WHERE f.n <> 0"

    def unpivot(names: list[str]) -> str:
        return counters.format(", ".join(f"('{name}', g.{name})" for name in names))

    live = "c.status <> %(withdrawn)s"
    return [
        # visits, people reached: by the visit's day
        f"""INSERT INTO {FACTS} SELECT g.unit_id, g.day, f.field, NULL, f.n FROM (
            SELECT c.unit_id, c.date AS day, count(*) AS visits,
                   coalesce(sum(c.people_reached), 0) AS people_reached
            FROM fieldwork_visit c WHERE {scope_c} GROUP BY 1, 2) g
            {unpivot(["visits", "people_reached"])}""",
        f"""INSERT INTO {FACTS} SELECT c.unit_id, c.date, 'visits_by_principle', t.principle_id::text,
                   count(*)
            FROM {visit_tags} t JOIN fieldwork_visit c ON c.id = t.visit_id WHERE {scope_c} GROUP BY 1, 2, 4""",
        # raised: by the day raised, the response limit by the calendar's deadline of the day raised
        f"""INSERT INTO {FACTS} SELECT g.unit_id, g.day, f.field, NULL, f.n FROM (
            SELECT c.unit_id, c.raised_on AS day,
                count(*) FILTER (WHERE NOT c.live) AS concerns_withdrawn,
                count(*) FILTER (WHERE c.live) AS concerns_raised,
                count(*) FILTER (WHERE c.live AND c.policy) AS policy_limited,
                count(*) FILTER (WHERE c.live AND c.policy AND c.done) AS policy_resolved,
                count(*) FILTER (WHERE c.live AND NOT c.policy AND c.done) AS resolved_now,
                count(*) FILTER (WHERE c.live AND c.taken_on IS NOT NULL) AS taken_up,
                count(*) FILTER (WHERE c.live AND c.taken_on <= d.deadline) AS taken_up_in_time,
                count(*) FILTER (WHERE c.live AND c.taken_on IS NULL AND c.status = ANY(%(active)s))
                    AS not_taken_up
            FROM (SELECT c.unit_id, c.status, {live} AS live, {_local("c.raised_at")} AS raised_on,
                         {_local("c.taken_up_at")} AS taken_on, c.status = ANY(%(done)s) AS done,
                         c.solvability IS NOT DISTINCT FROM %(policy)s AS policy
                  FROM {concern} c WHERE {scope_c}) c
            LEFT JOIN {DEADLINES} d ON d.day = c.raised_on
            GROUP BY 1, 2) g
            {
            unpivot(
                [
                    "concerns_withdrawn",
                    "concerns_raised",
                    "policy_limited",
                    "policy_resolved",
                    "resolved_now",
                    "taken_up",
                    "taken_up_in_time",
                    "not_taken_up",
                ]
            )
        }""",
        f"""INSERT INTO {FACTS} SELECT c.unit_id, {_local("c.raised_at")}, 'concerns_by_category',
                   c.category_id::text, count(*)
            FROM {concern} c WHERE {live} AND {scope_c} GROUP BY 1, 2, 4""",
        f"""INSERT INTO {FACTS} SELECT c.unit_id, {_local("c.raised_at")}, 'concerns_by_principle',
                   t.principle_id::text, count(*)
            FROM {concern_tags} t JOIN {concern} c ON c.id = t.concern_id
            WHERE {live} AND {scope_c} GROUP BY 1, 2, 4""",
        # resolved: by the day of the latest resolution; whole days from raised to resolved
        f"""INSERT INTO {FACTS} SELECT g.unit_id, g.day, f.field, NULL, f.n FROM (
            SELECT c.unit_id, c.resolved_on AS day, count(*) AS resolved,
                   count(*) FILTER (WHERE c.resolved_on <= c.due_date) AS resolved_on_time
            FROM (SELECT c.unit_id, c.due_date, {_local("c.resolved_at")} AS resolved_on FROM {concern} c
                  WHERE c.status = ANY(%(done)s) AND c.resolved_at IS NOT NULL AND {scope_c}) c
            GROUP BY 1, 2) g
            {unpivot(["resolved", "resolved_on_time"])}""",
        f"""INSERT INTO {FACTS} SELECT c.unit_id, {_local("c.resolved_at")}, 'days_to_resolve',
                   greatest(0, floor(extract(epoch FROM c.resolved_at - c.raised_at) / 86400))::bigint::text,
                   count(*)
            FROM {concern} c WHERE c.status = ANY(%(done)s) AND c.resolved_at IS NOT NULL AND {scope_c}
            GROUP BY 1, 2, 4""",
        # callbacks: by the callback's day, withdrawn concerns apart
        f"""INSERT INTO {FACTS} SELECT g.unit_id, g.day, f.field, NULL, f.n FROM (
            SELECT c.unit_id, b.date AS day, count(*) AS callbacks,
                   count(*) FILTER (WHERE b.satisfaction = ANY(%(satisfied)s)) AS satisfied,
                   count(*) FILTER (WHERE b.satisfaction = %(dissatisfied)s) AS dissatisfied,
                   count(*) FILTER (WHERE b.due_date IS NOT NULL) AS callbacks_due,
                   count(*) FILTER (WHERE b.date <= b.due_date) AS callbacks_in_time
            FROM {Feedback._meta.db_table} b JOIN {concern} c ON c.id = b.concern_id
            WHERE {live} AND {scope_c} GROUP BY 1, 2) g
            {unpivot(["callbacks", "satisfied", "dissatisfied", "callbacks_due", "callbacks_in_time"])}""",
        # final states apart from closed: unreachable, no answer, by the day closed
        f"""INSERT INTO {FACTS} SELECT g.unit_id, g.day, f.field, NULL, f.n FROM (
            SELECT c.unit_id, {_local("c.closed_at")} AS day,
                   count(*) FILTER (WHERE c.status = %(unreachable)s) AS unreachable,
                   count(*) FILTER (WHERE c.status = %(no_answer)s) AS no_answer
            FROM {concern} c WHERE c.status IN (%(unreachable)s, %(no_answer)s) AND c.closed_at IS NOT NULL
                AND {scope_c} GROUP BY 1, 2) g
            {unpivot(["unreachable", "no_answer"])}""",
        # supervision: by the day supervised; extensions approved, by the day decided
        f"""INSERT INTO {FACTS} SELECT c.unit_id, {_local("c.supervised_at")}, 'supervised', NULL, count(*)
            FROM {concern} c WHERE c.supervised_at IS NOT NULL AND {live} AND {scope_c} GROUP BY 1, 2""",
        f"""INSERT INTO {FACTS} SELECT c.unit_id, {_local("e.decided_at")}, 'extensions_granted', NULL,
                   count(*)
            FROM {ExtensionRequest._meta.db_table} e JOIN {concern} c ON c.id = e.concern_id
            WHERE e.status = %(approved)s AND {live} AND {scope_c} GROUP BY 1, 2""",
        # UnitNow (count_now): open or in progress now, by due date; under supervision; never taken up
        f"""INSERT INTO {FACTS} SELECT c.unit_id, NULL, f.field, f.key, count(*)
            FROM {concern} c CROSS JOIN LATERAL (VALUES
                ('open_by_due', to_char(c.due_date, 'YYYY-MM-DD')),
                ('supervised_by_due',
                 CASE WHEN c.supervised_at IS NOT NULL THEN to_char(c.due_date, 'YYYY-MM-DD') END),
                ('waiting_by_raised',
                 CASE WHEN c.taken_up_at IS NULL THEN to_char({_local("c.raised_at")}, 'YYYY-MM-DD') END)
            ) AS f(field, key)
            WHERE c.status = ANY(%(active)s) AND f.key IS NOT NULL AND {scope_c} GROUP BY 1, 3, 4""",
        # UnitNow: resolved and to be called back, by the day they join the queue and by the deadline
        f"""INSERT INTO {FACTS} SELECT c.unit_id, NULL, f.field, f.key, count(*)
            FROM {concern} c CROSS JOIN LATERAL (VALUES
                ('callbacks_by_from', to_char(c.callback_from, 'YYYY-MM-DD')),
                ('callbacks_by_due', to_char(c.callback_due, 'YYYY-MM-DD'))
            ) AS f(field, key)
            WHERE c.status = %(resolved)s AND c.callback_from IS NOT NULL AND f.key IS NOT NULL AND {scope_c}
            GROUP BY 1, 3, 4""",
    ]


def _deadlines(cursor, params: dict, path: str | None) -> None:
    """The table of (day raised, deadline) for every day a counted concern that was taken up was
    raised on, each deadline by counting.response_deadline: the one definition of the limit."""
    cursor.execute(f"DROP TABLE IF EXISTS {DEADLINES}")
    cursor.execute(f"CREATE TEMP TABLE {DEADLINES} (day date PRIMARY KEY, deadline date NOT NULL) ON COMMIT DROP")
    cursor.execute(
        f"SELECT min({_local('c.raised_at')}), max({_local('c.raised_at')}) FROM {Concern._meta.db_table} c "
        f"WHERE c.taken_up_at IS NOT NULL AND c.status <> %(withdrawn)s AND {_scope('c.unit_id', path)}",
        params,
    )
    first, last = cursor.fetchone()
    if first is None:
        return
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    cursor.execute(
        f"INSERT INTO {DEADLINES} SELECT * FROM unnest(%s::date[], %s::date[])",
        [days, [response_deadline(day) for day in days]],
    )


def _bytewise(column: str) -> str:
    """A text column grouped byte by byte (collation "C"): sorting millions of facts by the
    database's language collation took most of the day rows' time (at 100k: 26 s of 49)."""
    return f'{column} COLLATE "C" AS {column.rsplit(".", 1)[-1]}'


def _tune(cursor) -> tuple[str, str]:
    """Settings for grouping millions of facts, until the transaction ends; the old ones returned.
    In memory rather than in batches on disk; no JIT, whose compiling cost a second per statement."""
    cursor.execute(
        "SELECT current_setting('work_mem'), current_setting('jit'), "
        "set_config('work_mem', '256MB', true), set_config('jit', 'off', true)"
    )
    work_mem, jit, _, _ = cursor.fetchone()
    return work_mem, jit


def _untune(cursor, old: tuple[str, str]) -> None:
    cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)", list(old))


def _pivot(fields: tuple[str, ...]) -> str:
    """The columns of a row from its summed facts: a counter's sum, a map's {key: n}."""
    columns = []
    for name in fields:
        if name in MAPS or name in NOW_MAPS:
            columns.append(f"coalesce(jsonb_object_agg(key, n) FILTER (WHERE field = '{name}'), '{{}}')")
        else:
            columns.append(f"coalesce(sum(n) FILTER (WHERE field = '{name}'), 0)")
    return ", ".join(columns)


def rebuild_rows(*, path: str | None = None) -> int:
    """Write UnitMonth, UnitYear and UnitNow for every unit, or for the subtree at `path`, whose rows
    the caller has just deleted (inside its transaction). Returns the UnitMonth rows written.

    Each unit's totals are its own figures and those of every unit below it within the scope, as
    store.recount and store.recount_now add them up. The day facts stay for `rebuild_days`.
    """
    params = {
        "zone": settings.TIME_ZONE,
        "prefix": (path or "") + "%",
        "withdrawn": Concern.Status.WITHDRAWN.value,
        "done": [status.value for status in DONE],
        "active": [status.value for status in ACTIVE],
        "policy": Concern.Solvability.POLICY.value,
        "satisfied": [answer.value for answer in SATISFIED],
        "dissatisfied": Feedback.Satisfaction.DISSATISFIED.value,
        "approved": ExtensionRequest.Status.APPROVED.value,
        "unreachable": Concern.Status.UNREACHABLE.value,
        "no_answer": Concern.Status.NO_ANSWER.value,
        "resolved": Concern.Status.RESOLVED.value,
    }
    with connection.cursor() as cursor:
        work_mem = _tune(cursor)
        _deadlines(cursor, params, path)
        cursor.execute(f"DROP TABLE IF EXISTS {FACTS}, rollup_month_facts, rollup_ancestors, rollup_totals")
        cursor.execute(
            f"CREATE TEMP TABLE {FACTS} (unit_id integer NOT NULL, day date, field text NOT NULL, key text, "
            "n bigint NOT NULL) ON COMMIT DROP"
        )
        for sql in _fact_queries(path):
            cursor.execute(sql, params)
        # Each unit's ancestors within the scope, from its path ('/1/5/77/': 1, 5 and 77 itself).
        cursor.execute(
            f"""CREATE TEMP TABLE rollup_ancestors ON COMMIT DROP AS
            SELECT u.id AS unit_id, a.id AS ancestor_id FROM fieldwork_unit u
            CROSS JOIN LATERAL unnest(string_to_array(btrim(u.path, '/'), '/')) AS part
            JOIN fieldwork_unit a ON a.id = nullif(part, '')::integer
            WHERE {_scope("u.id", path)} AND {_scope("a.id", path)}""",
            params,
        )
        # The day facts summed by month first: the join with the ancestors reads a month's row once.
        cursor.execute(
            f"""CREATE TEMP TABLE rollup_month_facts ON COMMIT DROP AS
            SELECT unit_id, date_trunc('month', day)::date AS month, {_bytewise("field")}, {_bytewise("key")},
                   sum(n)::bigint AS n
            FROM {FACTS} GROUP BY 1, 2, 3, 4"""
        )
        cursor.execute(f"ANALYZE {FACTS}, rollup_month_facts, rollup_ancestors")
        cursor.execute(
            f"""CREATE TEMP TABLE rollup_totals ON COMMIT DROP AS
            SELECT a.ancestor_id AS unit_id, o.month, {_bytewise("o.field")}, {_bytewise("o.key")},
                   sum(o.n)::bigint AS n
            FROM rollup_month_facts o JOIN rollup_ancestors a ON a.unit_id = o.unit_id
            GROUP BY 1, 2, 3, 4 HAVING sum(o.n) <> 0"""
        )
        cursor.execute(
            f"""INSERT INTO {UnitMonth._meta.db_table} (unit_id, month, {", ".join(FIELDS)})
            SELECT unit_id, month, {_pivot(FIELDS)} FROM rollup_totals WHERE month IS NOT NULL
            GROUP BY unit_id, month ORDER BY unit_id, month"""
        )
        written = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {UnitYear._meta.db_table} (unit_id, year, visited_months)
            SELECT unit_id, extract(year FROM month)::integer, bit_or(1 << (extract(month FROM month)::integer - 1))
            FROM rollup_totals WHERE field = 'visits' AND month IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"""
        )
        cursor.execute(
            f"""INSERT INTO {UnitNow._meta.db_table} (unit_id, {", ".join(NOW_MAPS)})
            SELECT unit_id, {_pivot(NOW_MAPS)} FROM rollup_totals WHERE month IS NULL
            GROUP BY unit_id ORDER BY unit_id"""
        )
        cursor.execute(f"DROP TABLE {DEADLINES}, rollup_month_facts, rollup_ancestors, rollup_totals")
        _untune(cursor, work_mem)
    return written


def rebuild_days(owners: dict[int, list[int]]) -> int:
    """Write the day rows (UnitDay) from the day facts rebuild_rows has just counted in this
    transaction, whose rows the caller (days.rebuild) has deleted. `owners` = {unit id: the kept units
    at or above it}, from days.py's rule: each kept unit's row of a day sums the facts of the units
    it owns. Returns the rows written; drops the facts."""
    pairs = [(unit_id, owner) for unit_id, line in owners.items() for owner in line]
    with connection.cursor() as cursor:
        work_mem = _tune(cursor)
        cursor.execute("DROP TABLE IF EXISTS rollup_owners")
        cursor.execute(
            "CREATE TEMP TABLE rollup_owners ON COMMIT DROP AS "
            "SELECT * FROM unnest(%s::integer[], %s::integer[]) AS o(unit_id, owner_id)",
            [[unit_id for unit_id, _owner in pairs], [owner for _unit_id, owner in pairs]],
        )
        cursor.execute(f"ANALYZE rollup_owners, {FACTS}")
        # Counters and maps apart: the counters pivoted into one row per unit and day before the join
        # with the owners and summed by (unit, day); only the maps' entries grouped by key (at 100k
        # the whole facts sorted by field and key after the join took 24 s of 48).
        own = ", ".join(f"sum(n) FILTER (WHERE field = '{name}') AS {name}" for name in COUNTERS)
        counters = ", ".join(f"sum(w.{name})::bigint AS {name}" for name in COUNTERS)
        maps = ", ".join(f"jsonb_object_agg(key, n) FILTER (WHERE field = '{name}') AS {name}" for name in MAPS)
        values = ", ".join(
            f"coalesce(c.{name}, 0)" if name in COUNTERS else f"coalesce(m.{name}, '{{}}')" for name in FIELDS
        )
        cursor.execute(
            f"""INSERT INTO {UnitDay._meta.db_table} (unit_id, day, {", ".join(FIELDS)})
            WITH own AS (
                SELECT unit_id, day, {own} FROM {FACTS}
                WHERE day IS NOT NULL AND key IS NULL GROUP BY 1, 2
            ), counters AS (
                SELECT o.owner_id AS unit_id, w.day, {counters}
                FROM own w JOIN rollup_owners o ON o.unit_id = w.unit_id GROUP BY 1, 2
            ), entries AS (
                SELECT o.owner_id AS unit_id, f.day, {_bytewise("f.field")}, {_bytewise("f.key")}, sum(f.n)::bigint AS n
                FROM {FACTS} f JOIN rollup_owners o ON o.unit_id = f.unit_id
                WHERE f.day IS NOT NULL AND f.key IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(f.n) <> 0
            ), maps AS (
                SELECT unit_id, day, {maps} FROM entries GROUP BY 1, 2
            )
            SELECT coalesce(c.unit_id, m.unit_id) AS unit_id, coalesce(c.day, m.day) AS day, {values}
            FROM counters c FULL JOIN maps m ON m.unit_id = c.unit_id AND m.day = c.day
            ORDER BY 1, 2"""
        )
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {FACTS}, rollup_owners")
        _untune(cursor, work_mem)
    return written
