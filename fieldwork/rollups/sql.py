"""The rollups rebuilt inside PostgreSQL: every unit's own figures counted by grouping queries, carried
up the tree level by level, and written by INSERT ... SELECT.

The counting rules are counting.py's (`count_rows`, `count_now`), written here a second time in SQL
for speed: at a million visits the Python recount reads every concern into Python, this reads only
the rollups' rows back (none). counting.py stays the reference: tests/rollup_rebuild/ holds the two
equal on demo data and its edge cases. The response limit is not written again: the working-day
rule (counting.response_deadline) is asked in Python for every day concerns were raised on, and
the query reads its answers from a table of (day, deadline). Withdrawn, done and active statuses,
the policy solvability and the satisfied answers come from the models, as counting.py takes them.

Each unit's own figures go first into two tables, by local day: its counters, one column each
(COUNTS), and its maps' entries (FACTS: unit, day, field, key, n; UnitNow's with no day). Summed by
month and carried up the units' tree one level at a time (each level's totals: its own rows and its
children's totals), then pivoted (maps by jsonb_object_agg), they give the monthly rows; summed by
day up the tree of the kept units (days.py), the day rows (UnitDay), from the same facts in the same
transaction (`rebuild_days`). At 1M visits a level at a time groups each fact about once where a
join with every ancestor grouped a team's three or four times.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from ..models import Concern, ExtensionRequest, Feedback, UnitDay, UnitMonth, UnitNow, UnitYear, Visit
from .counting import ACTIVE, COUNTERS, DONE, FIELDS, MAPS, NOW_MAPS, SATISFIED, response_deadline

# Each unit's own map entries (unit, day, field, key, n), by local day, the field by its number in
# FIELD_CODES, the key an integer: a principle's or category's id, a number of days, or a date as days
# since EPOCH (UnitNow's maps, whose facts have no day). Integers group quicker than text.
# Left in place by rebuild_rows for rebuild_days, as COUNTS; dropped at the end of the transaction.
FACTS = "rollup_facts"
# Each unit's own counters, by local day: a row for each row counted (a visit, a concern raised, a
# callback, ...), its counters in columns. Each such row counts 1 in at least one counter, so a unit
# has a month or day row exactly where something was counted, as when zero facts were left out.
COUNTS = "rollup_counts"
DEADLINES = "rollup_deadlines"  # (day raised, last day taken up within the response limit)
TREE = "rollup_tree"  # (id, parent_id, level): the units whose totals are summed up, level by level
FIELD_CODES = {name: code for code, name in enumerate(MAPS + NOW_MAPS, start=1)}
EPOCH = "DATE '2000-01-01'"
TEMP_BUFFERS = "1GB"  # a rebuild at 1M: millions of rows in its temp tables


def _scope(column: str, path: str | None) -> str:
    """A condition keeping the rows of the units under `path` (every unit when None)."""
    if path is None:
        return "TRUE"
    return f"{column} IN (SELECT id FROM fieldwork_unit WHERE path LIKE %(prefix)s)"


def _local(column: str) -> str:
    """The calendar day of a moment in the configured time zone, as counting.local_date."""
    return f"({column} AT TIME ZONE %(zone)s)::date"


def _flag(condition: str) -> str:
    """1 where a row is counted, else 0 (NULL included, as count(*) FILTER leaves it out)."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def _fact_queries(path: str | None) -> list[str]:
    """INSERT INTO the counts and the facts: one statement per counting.py query, the same rules.

    A row for each row counted, not grouped: at 1M each grouping here merged hardly any rows (1.8M
    visit tags into 1.5M) and took half its query's time; the carry-up groups them once."""
    concern = Concern._meta.db_table
    visit_tags = Visit.principles.through._meta.db_table
    concern_tags = Concern.principles.through._meta.db_table
    scope_c = _scope("c.unit_id", path)

    def counts(names: list[str]) -> str:
        return f"INSERT INTO {COUNTS} (unit_id, day, {', '.join(names)})"

    def facts(name: str, day: str, key: str) -> str:
        return (
            f"INSERT INTO {FACTS} (unit_id, day, field, key, n) SELECT c.unit_id, {day}, {FIELD_CODES[name]}, {key}, 1"
        )

    live = "c.status <> %(withdrawn)s"
    raised = [
        "concerns_withdrawn",
        "concerns_raised",
        "policy_limited",
        "policy_resolved",
        "resolved_now",
        "taken_up",
        "taken_up_in_time",
        "not_taken_up",
    ]
    return [
        # visits, people reached, back-dated visits (Visit.backdated): by the visit's day
        f"""{counts(["visits", "people_reached", "visits_backdated"])}
            SELECT c.unit_id, c.date, 1, c.people_reached, {_flag("c.backdated")}
            FROM fieldwork_visit c WHERE {scope_c}""",
        f"""{facts("visits_by_principle", "c.date", "t.principle_id")}
            FROM {visit_tags} t JOIN fieldwork_visit c ON c.id = t.visit_id WHERE {scope_c}""",
        # raised: by the day raised, the response limit by the calendar's deadline of the day raised
        f"""{counts(raised)}
            SELECT c.unit_id, c.raised_on,
                {_flag("NOT c.live")},
                {_flag("c.live")},
                {_flag("c.live AND c.policy")},
                {_flag("c.live AND c.policy AND c.done")},
                {_flag("c.live AND NOT c.policy AND c.done")},
                {_flag("c.live AND c.taken_on IS NOT NULL")},
                {_flag("c.live AND c.taken_on <= d.deadline")},
                {_flag("c.live AND c.taken_on IS NULL AND c.status = ANY(%(active)s)")}
            FROM (SELECT c.unit_id, c.status, {live} AS live, {_local("c.raised_at")} AS raised_on,
                         {_local("c.taken_up_at")} AS taken_on, c.status = ANY(%(done)s) AS done,
                         c.solvability IS NOT DISTINCT FROM %(policy)s AS policy
                  FROM {concern} c WHERE {scope_c}) c
            LEFT JOIN {DEADLINES} d ON d.day = c.raised_on""",
        f"""{facts("concerns_by_category", _local("c.raised_at"), "c.category_id")}
            FROM {concern} c WHERE {live} AND {scope_c}""",
        f"""{facts("concerns_by_principle", _local("c.raised_at"), "t.principle_id")}
            FROM {concern_tags} t JOIN {concern} c ON c.id = t.concern_id WHERE {live} AND {scope_c}""",
        # resolved: by the day of the latest resolution; whole days from raised to resolved
        f"""{counts(["resolved", "resolved_on_time"])}
            SELECT c.unit_id, c.resolved_on, 1, {_flag("c.resolved_on <= c.due_date")}
            FROM (SELECT c.unit_id, c.due_date, {_local("c.resolved_at")} AS resolved_on FROM {concern} c
                  WHERE c.status = ANY(%(done)s) AND c.resolved_at IS NOT NULL AND {scope_c}) c""",
        f"""{
            facts(
                "days_to_resolve",
                _local("c.resolved_at"),
                "greatest(0, floor(extract(epoch FROM c.resolved_at - c.raised_at) / 86400))::bigint",
            )
        }
            FROM {concern} c WHERE c.status = ANY(%(done)s) AND c.resolved_at IS NOT NULL AND {scope_c}""",
        # callbacks: by the callback's day, withdrawn concerns apart
        f"""{counts(["callbacks", "satisfied", "dissatisfied", "callbacks_due", "callbacks_in_time"])}
            SELECT c.unit_id, b.date, 1, {_flag("b.satisfaction = ANY(%(satisfied)s)")},
                   {_flag("b.satisfaction = %(dissatisfied)s")},
                   {_flag("b.due_date IS NOT NULL")}, {_flag("b.date <= b.due_date")}
            FROM {Feedback._meta.db_table} b JOIN {concern} c ON c.id = b.concern_id WHERE {live} AND {scope_c}""",
        # final states apart from closed: unreachable, no answer, by the day closed
        f"""{counts(["unreachable", "no_answer"])}
            SELECT c.unit_id, {_local("c.closed_at")}, {_flag("c.status = %(unreachable)s")},
                   {_flag("c.status = %(no_answer)s")}
            FROM {concern} c WHERE c.status IN (%(unreachable)s, %(no_answer)s) AND c.closed_at IS NOT NULL
                AND {scope_c}""",
        # supervision: by the day supervised; extensions approved, by the day decided
        f"""{counts(["supervised"])} SELECT c.unit_id, {_local("c.supervised_at")}, 1
            FROM {concern} c WHERE c.supervised_at IS NOT NULL AND {live} AND {scope_c}""",
        f"""{counts(["extensions_granted"])} SELECT c.unit_id, {_local("e.decided_at")}, 1
            FROM {ExtensionRequest._meta.db_table} e JOIN {concern} c ON c.id = e.concern_id
            WHERE e.status = %(approved)s AND {live} AND {scope_c}""",
        # UnitNow (count_now): open or in progress now, by due date; under supervision; never taken up.
        # No day; the key a date, as days since EPOCH.
        f"""INSERT INTO {FACTS} (unit_id, day, field, key, n) SELECT c.unit_id, NULL, f.field, f.key, count(*)
            FROM {concern} c CROSS JOIN LATERAL (VALUES
                ({FIELD_CODES["open_by_due"]}, c.due_date - {EPOCH}),
                ({FIELD_CODES["supervised_by_due"]},
                 CASE WHEN c.supervised_at IS NOT NULL THEN c.due_date - {EPOCH} END),
                ({FIELD_CODES["waiting_by_raised"]},
                 CASE WHEN c.taken_up_at IS NULL THEN {_local("c.raised_at")} - {EPOCH} END)
            ) AS f(field, key)
            WHERE c.status = ANY(%(active)s) AND f.key IS NOT NULL AND {scope_c} GROUP BY 1, 3, 4""",
        # UnitNow: resolved and to be called back, by the day they join the queue and by the deadline
        f"""INSERT INTO {FACTS} (unit_id, day, field, key, n) SELECT c.unit_id, NULL, f.field, f.key, count(*)
            FROM {concern} c CROSS JOIN LATERAL (VALUES
                ({FIELD_CODES["callbacks_by_from"]}, c.callback_from - {EPOCH}),
                ({FIELD_CODES["callbacks_by_due"]}, c.callback_due - {EPOCH})
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


def _tune(cursor) -> tuple[str, str]:
    """Settings for grouping millions of facts, until the transaction ends; the old ones returned.
    In memory rather than in batches on disk (at 1M the largest hash tables hold a few hundred MB); no
    JIT, whose compiling cost a second per statement.

    The temp tables in memory too (TEMP_BUFFERS, not the default 8 MB, with which every scan of
    them read back through the kernel; at 1M on a loaded machine 160 s → 129 s): PostgreSQL takes it only before
    the session's first temp table, else refuses it, and the session keeps what it had (a
    savepoint holds the transaction). The buffers are taken as used and kept by the session."""
    try:
        with transaction.atomic():
            cursor.execute(f"SET LOCAL temp_buffers = '{TEMP_BUFFERS}'")
    except DatabaseError:
        pass
    cursor.execute(
        "SELECT current_setting('work_mem'), current_setting('jit'), "
        "set_config('work_mem', '1GB', true), set_config('jit', 'off', true)"
    )
    work_mem, jit, _, _ = cursor.fetchone()
    return work_mem, jit


def _untune(cursor, old: tuple[str, str]) -> None:
    cursor.execute("SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)", list(old))


def _sums(names: tuple[str, ...]) -> str:
    """Counters summed, each of the type of its column (people reached a bigint, the rest integers:
    summing integers into a bigint is quick, bigints into a numeric slow)."""
    return ", ".join(f"sum({name})::{'bigint' if name == 'people_reached' else 'integer'} AS {name}" for name in names)


def _carry_up(cursor, *, into: str, own: str, keys: str, values: str, sums: str, having: str = "") -> None:
    """Sum every unit's rows with those of the units below it, level by level from the deepest of
    TREE: each level's totals are its own rows and its children's totals, grouped once. Rows, not
    every unit joined with each of its ancestors: a team's facts are grouped once, not once per
    ancestor (at 1M, the day entries: 4.2M grouped into 3.0M at the workshops, those into 0.7M at the
    branches, those into 55k at the root, where the join grouped 10.9M at once).

    `own` is a query of (unit_id, level, <keys>, <values>): each unit's own rows (several per key
    allowed); `sums` the aggregates of `values` in the same order. Writes the temp table `into`
    (unit_id, <keys>, <values>) with one row per unit and key."""
    group = f"GROUP BY unit_id, {keys} {having}"
    cursor.execute(
        f"CREATE TEMP TABLE {into} ON COMMIT DROP AS SELECT unit_id, {keys}, {sums} FROM ({own}) o WHERE FALSE {group}"
    )
    cursor.execute(f"SELECT DISTINCT level FROM {TREE} WHERE level IS NOT NULL ORDER BY level DESC")
    for (level,) in cursor.fetchall():
        cursor.execute(
            f"""INSERT INTO {into} SELECT unit_id, {keys}, {sums} FROM (
                SELECT unit_id, {keys}, {values} FROM ({own}) o WHERE level = %(level)s
                UNION ALL
                SELECT t.parent_id, {keys}, {values} FROM {into} c JOIN {TREE} t ON t.id = c.unit_id
                WHERE t.level = %(level)s + 1 AND t.parent_id IS NOT NULL
            ) g {group}""",
            {"level": level},
        )
    cursor.execute(f"ANALYZE {into}")


def _key_text(field: str) -> str:
    """A map entry's key as the JSON object key of the rollup rows."""
    return f"to_char({EPOCH} + key::integer, 'YYYY-MM-DD')" if field in NOW_MAPS else "key::text"


def _maps(fields: tuple[str, ...]) -> str:
    """Each map's {key: n} from its summed entries (NULL when the row has none)."""
    return ", ".join(
        f"jsonb_object_agg({_key_text(name)}, n) FILTER (WHERE field = {FIELD_CODES[name]}) AS {name}"
        for name in fields
    )


def _row_values() -> str:
    """The columns of a row (FIELDS) from its counters (c) and maps (m), either missing."""
    return ", ".join(f"coalesce(c.{name}, 0)" if name in COUNTERS else f"coalesce(m.{name}, '{{}}')" for name in FIELDS)


def _facts_tables(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {FACTS}, {COUNTS}")
    cursor.execute(
        f"CREATE TEMP TABLE {FACTS} (unit_id integer NOT NULL, day date, field smallint NOT NULL, "
        "key bigint NOT NULL, n integer NOT NULL) ON COMMIT DROP"
    )
    columns = ", ".join(
        f"{name} {'bigint' if name == 'people_reached' else 'integer'} NOT NULL DEFAULT 0" for name in COUNTERS
    )
    cursor.execute(
        f"CREATE TEMP TABLE {COUNTS} (unit_id integer NOT NULL, day date NOT NULL, {columns}) ON COMMIT DROP"
    )


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
        _facts_tables(cursor)
        for sql in _fact_queries(path):
            cursor.execute(sql, params)
        cursor.execute(f"ANALYZE {FACTS}, {COUNTS}")
        # The units in the scope, each with its depth and its parent (from its path: '/1/5/77/' is
        # 77 at level 3 under 5); the top of the scope has none, as a unit with no path no level.
        cursor.execute(f"DROP TABLE IF EXISTS {TREE}, rollup_month_counts, rollup_month_maps")
        cursor.execute(
            f"""CREATE TEMP TABLE {TREE} ON COMMIT DROP AS
            SELECT u.id, nullif(p.parts[cardinality(p.parts) - 1], '')::integer AS parent_id,
                   nullif(cardinality(p.parts), 0) AS level
            FROM fieldwork_unit u CROSS JOIN LATERAL (SELECT string_to_array(btrim(u.path, '/'), '/') AS parts) p
            WHERE {_scope("u.id", path)}""",
            params,
        )
        cursor.execute(f"UPDATE {TREE} SET parent_id = NULL WHERE parent_id NOT IN (SELECT id FROM {TREE})")
        cursor.execute(f"ANALYZE {TREE}")
        month = "date_trunc('month', f.day)::date AS month"
        _carry_up(
            cursor,
            into="rollup_month_counts",
            own=f"SELECT f.*, {month}, t.level FROM {COUNTS} f JOIN {TREE} t ON t.id = f.unit_id",
            keys="month",
            values=", ".join(COUNTERS),
            sums=_sums(COUNTERS),
        )
        _carry_up(
            cursor,
            into="rollup_month_maps",
            own=f"SELECT f.*, {month}, t.level FROM {FACTS} f JOIN {TREE} t ON t.id = f.unit_id",
            keys="month, field, key",
            values="n",
            sums="sum(n)::integer AS n",
            having="HAVING sum(n) <> 0",
        )
        cursor.execute(
            f"""INSERT INTO {UnitMonth._meta.db_table} (unit_id, month, {", ".join(FIELDS)})
            WITH maps AS (
                SELECT unit_id, month, {_maps(MAPS)} FROM rollup_month_maps WHERE month IS NOT NULL GROUP BY 1, 2
            )
            SELECT coalesce(c.unit_id, m.unit_id) AS unit_id, coalesce(c.month, m.month) AS month, {_row_values()}
            FROM rollup_month_counts c FULL JOIN maps m ON m.unit_id = c.unit_id AND m.month = c.month
            ORDER BY 1, 2"""
        )
        written = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO {UnitYear._meta.db_table} (unit_id, year, visited_months)
            SELECT unit_id, extract(year FROM month)::integer, bit_or(1 << (extract(month FROM month)::integer - 1))
            FROM rollup_month_counts WHERE visits <> 0 GROUP BY 1, 2 ORDER BY 1, 2"""
        )
        now = ", ".join(f"coalesce({name}, '{{}}')" for name in NOW_MAPS)
        cursor.execute(
            f"""INSERT INTO {UnitNow._meta.db_table} (unit_id, {", ".join(NOW_MAPS)})
            SELECT unit_id, {now} FROM (
                SELECT unit_id, {_maps(NOW_MAPS)} FROM rollup_month_maps WHERE month IS NULL GROUP BY unit_id
            ) m ORDER BY unit_id"""
        )
        cursor.execute(f"DROP TABLE {DEADLINES}, {TREE}, rollup_month_counts, rollup_month_maps")
        _untune(cursor, work_mem)
    return written


def rebuild_days(owners: dict[int, list[int]]) -> int:
    """Write the day rows (UnitDay) from the day facts rebuild_rows has just counted in this
    transaction, whose rows the caller (days.rebuild) has deleted. `owners` = {unit id: the kept units
    at or above it}, from days.py's rule: each kept unit's row of a day sums the facts of the units
    it owns. Returns the rows written; drops the facts.

    The kept units make a tree of their own (a kept unit's parent there: the kept unit above it in
    its line): each unit's facts go to its nearest kept unit, then are summed up that tree level by
    level (_carry_up)."""
    near = [(unit_id, line[-1]) for unit_id, line in owners.items()]
    kept = [
        (unit_id, line[-2] if len(line) > 1 else None, len(line))
        for unit_id, line in owners.items()
        if line[-1] == unit_id
    ]
    with connection.cursor() as cursor:
        work_mem = _tune(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS rollup_near, {TREE}, rollup_day_counts, rollup_day_maps")
        cursor.execute(
            "CREATE TEMP TABLE rollup_near ON COMMIT DROP AS "
            "SELECT * FROM unnest(%s::integer[], %s::integer[]) AS o(unit_id, owner_id)",
            [[unit_id for unit_id, _owner in near], [owner for _unit_id, owner in near]],
        )
        cursor.execute(
            f"CREATE TEMP TABLE {TREE} ON COMMIT DROP AS "
            "SELECT * FROM unnest(%s::integer[], %s::integer[], %s::integer[]) AS t(id, parent_id, level)",
            [[row[0] for row in kept], [row[1] for row in kept], [row[2] for row in kept]],
        )
        cursor.execute(f"ANALYZE rollup_near, {TREE}")
        own = (
            "SELECT n.owner_id AS unit_id, t.level, {columns} FROM {table} f "
            f"JOIN rollup_near n ON n.unit_id = f.unit_id JOIN {TREE} t ON t.id = n.owner_id"
        )
        _carry_up(
            cursor,
            into="rollup_day_counts",
            own=own.format(table=COUNTS, columns=", ".join(f"f.{name}" for name in ("day", *COUNTERS))),
            keys="day",
            values=", ".join(COUNTERS),
            sums=_sums(COUNTERS),
        )
        _carry_up(
            cursor,
            into="rollup_day_maps",
            own=own.format(table=FACTS, columns="f.day, f.field, f.key, f.n") + " WHERE f.day IS NOT NULL",
            keys="day, field, key",
            values="n",
            sums="sum(n)::integer AS n",
            having="HAVING sum(n) <> 0",
        )
        cursor.execute(
            f"""INSERT INTO {UnitDay._meta.db_table} (unit_id, day, {", ".join(FIELDS)})
            WITH maps AS (SELECT unit_id, day, {_maps(MAPS)} FROM rollup_day_maps GROUP BY 1, 2)
            SELECT coalesce(c.unit_id, m.unit_id) AS unit_id, coalesce(c.day, m.day) AS day, {_row_values()}
            FROM rollup_day_counts c FULL JOIN maps m ON m.unit_id = c.unit_id AND m.day = c.day
            ORDER BY 1, 2"""
        )
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {FACTS}, {COUNTS}, rollup_near, {TREE}, rollup_day_counts, rollup_day_maps")
        _untune(cursor, work_mem)
    return written
