"""The bulk writer: rows as plain tuples into the tables, by COPY on PostgreSQL, executemany elsewhere.

On PostgreSQL the generator runs in a forked child and this process only COPYs what it sends,
so that generating and loading use both cores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import pickle
import queue
import signal
import struct
import threading
import time
import traceback
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models

from ..models import (
    CallbackAttempt,
    Concern,
    ConcernEvent,
    ExtensionRequest,
    Feedback,
    FollowUpAction,
    Membership,
    Unit,
    Visit,
)
from .meter import Meter

# ---------------------------------------------------------------------------------------------------
# Tables: the columns we fill. Any other column of the model gets its default, so that a field added
# later with a default does not break the seed (one without a default stops it with a clear message).


@dataclass
class Table:
    model: type[models.Model]
    columns: list[str]
    name: str = ""
    extra_columns: list[str] = field(default_factory=list)
    extra_values: tuple = ()


TABLE_COLUMNS = {
    "user": "id password is_superuser username first_name last_name email is_staff is_active date_joined",
    "unit": "id name code kind parent_id path depth active receiver_id",
    "membership": "id user_id unit_id role",
    "visit": "id unit_id date form location people_reached summary author_id created_at updated_at",
    "concern": "id reference unit_id visit_id source raised_by_name raised_by_contact anonymous category_id "
    "title description priority solvability due_date owner_id status resolution raised_at taken_up_at "
    "resolved_at closed_at reopen_count receipt_code created_by_id created_at updated_at version "
    "supervised_at extensions_granted callback_due callback_from",
    "event": "id concern_id kind actor_id from_status to_status note public created_at",
    "action": "id concern_id unit_id description owner_id due_date done_at outcome created_by_id created_at",
    "feedback": "id concern_id date channel satisfaction comment recorded_by_id created_at due_date",
    "attempt": "id concern_id made_by_id at channel note",
    "extension": "id concern_id requested_by_id due_date_before requested_due_date reason status decided_by_id "
    "decided_at decision_note created_at",
}
TABLE_MODELS = {
    "unit": Unit,
    "membership": Membership,
    "visit": Visit,
    "concern": Concern,
    "event": ConcernEvent,
    "action": FollowUpAction,
    "feedback": Feedback,
    "attempt": CallbackAttempt,
    "extension": ExtensionRequest,
}
M2M_TABLES = {
    "visit_cadres": (Visit, "cadres"),
    "visit_principles": (Visit, "principles"),
    "concern_principles": (Concern, "principles"),
    "action_principles": (FollowUpAction, "principles"),
}


def tables() -> dict[str, Table]:
    """Every table the seed writes, in the order it writes them."""
    found: dict[str, Table] = {}
    order = ["user", "unit", "membership", "visit", "visit_cadres", "visit_principles", "concern"]
    order += ["concern_principles", "event", "action", "action_principles", "feedback", "attempt", "extension"]
    for key in order:
        if key in M2M_TABLES:
            owner, name = M2M_TABLES[key]
            m2m = owner._meta.get_field(name)
            found[key] = Table(m2m.remote_field.through, ["id", m2m.m2m_column_name(), m2m.m2m_reverse_name()])
        else:
            model = get_user_model() if key == "user" else TABLE_MODELS[key]
            found[key] = Table(model, TABLE_COLUMNS[key].split())
    for table in found.values():
        meta = table.model._meta
        table.name = meta.db_table
        known = set(table.columns)
        for model_field in meta.concrete_fields:
            if model_field.column in known:
                continue
            if not (model_field.has_default() or model_field.null):
                raise LookupError(
                    f"seed_demo does not fill {meta.label}.{model_field.name}: see fieldwork/demo/bulk.py"
                )
            table.extra_columns.append(model_field.column)
            default = model_field.get_default()
            if isinstance(model_field, models.JSONField):
                # the JSON text itself: COPY takes text, and psycopg's Jsonb wrapper would go in as its repr
                table.extra_values += (json.dumps(default),)
            else:
                table.extra_values += (model_field.get_db_prep_save(default, connection),)
    return found


TABLE_ORDER_GENERATED = [
    "visit",
    "visit_cadres",
    "visit_principles",
    "concern",
    "concern_principles",
    "event",
    "action",
    "action_principles",
    "feedback",
    "attempt",
    "extension",
]


# ---------------------------------------------------------------------------------------------------
# Sinks: where the rows go.


class SqliteSink:
    """executemany in the caller's transaction: quick enough for the default size and for tests."""

    NULL: Any = None
    TRUE: Any = 1
    FALSE: Any = 0

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.timings: dict[str, float] = {}

    def start(self) -> None:
        pass

    def write(self, key: str, rows: list[tuple]) -> None:
        if not rows:
            return
        table = self.tables[key]
        qn = connection.ops.quote_name
        columns = [*table.columns, *table.extra_columns]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            qn(table.name), ", ".join(map(qn, columns)), ", ".join(["%s"] * len(columns))
        )
        if table.extra_values:
            rows = [row + table.extra_values for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def finish(self) -> None:
        pass


class PostgresSink:
    """COPY into PostgreSQL on the Django connection, so the load belongs to the caller's transaction.

    The foreign keys and the indexes of the loaded tables (their primary keys too, unless a table the
    seed does not load refers to them) are dropped for the load and made again at the end: building
    an index once and checking a foreign key in one join take a fraction of the time of growing
    indexes and firing a trigger row by row.
    """

    NULL: Any = "\\N"
    TRUE: Any = "t"
    FALSE: Any = "f"

    def __init__(self, tables: dict[str, Table], meter: Meter | None = None) -> None:
        self.tables = tables
        self.meter = meter or Meter()
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.indexes: list[tuple[str, str, str, str | None, str | None]] = []
        self.timings: dict[str, float] = {}
        self.formats: dict[str, str] = {}
        self.sql: dict[str, str] = {}
        qn = connection.ops.quote_name
        for key, table in tables.items():
            suffix = "".join("\t" + _copy_text(v).replace("%", "%%") for v in table.extra_values)
            self.formats[key] = "\t".join(["%s"] * len(table.columns)) + suffix + "\n"
            columns = ", ".join(map(qn, [*table.columns, *table.extra_columns]))
            self.sql[key] = f"COPY {qn(table.name)} ({columns}) FROM STDIN"

    def start(self) -> None:
        names = [t.name for t in self.tables.values()]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # pending deferred checks forbid ALTER TABLE
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL maintenance_work_mem TO '1GB'")
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                [names],
            )
            self.foreign_keys = cursor.fetchall()
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
            # Every index but those a foreign key still in place relies on (of a table the seed does not
            # load: the loaded tables' own foreign keys are gone). Primary keys too: the events' alone,
            # grown row by row during COPY, cost ~3x the CPU of building it once from the loaded rows.
            cursor.execute(
                "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), "
                "c.conname, pg_get_constraintdef(c.oid) FROM pg_index i "
                "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x') "
                "WHERE i.indrelid = ANY(%s::regclass[]) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid) "
                "ORDER BY 1, 2",
                [names],
            )
            self.indexes = cursor.fetchall()
            for table, index, _definition, constraint, _condef in self.indexes:
                if constraint:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(constraint)}")
                else:
                    cursor.execute(f"DROP INDEX {index}")

    def encode(self, key: str, rows: list[tuple]) -> bytes:
        # One format of the whole chunk (the line's format repeated, every row's values in one tuple):
        # the same text as formatting and joining line by line, in about two thirds of the time.
        return ((self.formats[key] * len(rows)) % tuple(chain.from_iterable(rows))).encode()

    def write(self, key: str, rows: list[tuple]) -> None:
        if rows:
            self.write_encoded(key, self.encode(key, rows))

    def write_encoded(self, key: str, data: bytes) -> None:
        started = time.monotonic()
        # Django's cursor wraps a psycopg 3 cursor (.cursor), whose copy() streams COPY FROM STDIN.
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql[key]) as copy:
            copy.write(data)
        self._time(f"copy {self.tables[key].name}", started)

    def finish(self) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, _index, definition, constraint, condef in self.indexes:
                with self.meter.step(f"index {table}", parallel=True):
                    if constraint:
                        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(constraint)} {condef}")
                    else:
                        cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                with self.meter.step(f"foreign keys {table}"):
                    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables.values()]):
                cursor.execute(sql)
            with self.meter.step("analyze"):
                for table in self.tables.values():
                    cursor.execute(f"ANALYZE {qn(table.name)}")

    def _time(self, what: str, started: float) -> None:
        """COPY's time, summed by table: the wall time of this process's COPY calls only (they
        overlap with the child's generating, whose CPU the meter counts apart)."""
        self.timings[what] = self.timings.get(what, 0.0) + time.monotonic() - started


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# ---------------------------------------------------------------------------------------------------
# Progress on stderr


class Progress:
    def __init__(self, *, total: int, stream: TextIO | None) -> None:
        self.total, self.stream = max(total, 1), stream
        self.started = self.shown = time.monotonic()
        self.done = self.shown_done = 0

    def update(self, done: int, *, force: bool = False) -> None:
        self.done = done
        now = time.monotonic()
        if self.stream is None or (not force and now - self.shown < 0.5):
            return
        self.shown, self.shown_done = now, done
        share = min(done / self.total, 1.0)
        elapsed = now - self.started
        left = elapsed / share - elapsed if share else 0.0
        self.stream.write(
            f"\rvisits [{'#' * int(share * 30):<30}] {done:,}/{self.total:,} {share:4.0%}"
            f"  {elapsed:4.0f}s, about {left:4.0f}s to go "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None:
            if self.shown_done != self.done:
                self.update(self.done, force=True)
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------------------------------------------
# Generating and loading


def load_inline(
    chunks: Iterable[tuple[dict[str, list[tuple]], int]], sink: SqliteSink | PostgresSink, bar: Progress
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chunk, done in chunks:
        for key, rows in chunk.items():
            counts[key] = counts.get(key, 0) + len(rows)
            sink.write(key, rows)
        bar.update(done)
    return counts


FRAME = struct.Struct("!hq")  # table number (or one of the codes below), length or progress
PROGRESS, DONE, FAILED, STOPPED = -1, -2, -3, -4  # STOPPED: the pipe ended before DONE or FAILED


def _read_frames(read_fd: int, frames: queue.Queue) -> None:
    """The reader thread of load_forked: (number, data) of each frame, the progress as data; the last
    is DONE, FAILED or STOPPED. It only reads the pipe: the thread that COPYs alone talks to PostgreSQL."""
    last = (STOPPED, b"")
    try:
        with os.fdopen(read_fd, "rb", buffering=1 << 20) as pipe:
            while True:
                header = pipe.read(FRAME.size)
                if len(header) < FRAME.size:
                    return
                number, size = FRAME.unpack(header)
                if number == PROGRESS:
                    frames.put((PROGRESS, size))
                    continue
                data = pipe.read(size)
                if len(data) < size:
                    return
                if number in (DONE, FAILED):
                    last = (number, data)
                    return
                frames.put((number, data))
    finally:
        frames.put(last)


def load_forked(
    chunks: Iterable[tuple[dict[str, list[tuple]], int]], summary: Any, sink: PostgresSink, bar: Progress
) -> tuple[dict[str, int], Any]:
    """Generate in a child process and COPY in this one: the two use both cores, with no GIL between.

    The child inherits everything it needs from the fork and never touches the database: it
    writes framed, COPY-ready chunks to a pipe and leaves with os._exit, so that nothing of the
    parent's connection is closed or flushed from it. Only the parent talks to PostgreSQL.
    """
    keys = list(sink.tables)
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process that has threads (a test runner's): the child
        # runs only the generator's own code, which takes no lock another thread could hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_fd)
            # The child makes millions of small tuples and keeps them for a chunk: the collector's
            # default rhythm scans them over and over. What the child inherited is set aside (frozen)
            # and the collector is off: the generator makes no reference cycles (its memory stays
            # flat over 200,000 visits without it, 466 MB as with it), and a collection every
            # 100,000 allocations still cost ~5% of the child's CPU.
            gc.freeze()
            gc.disable()
            with os.fdopen(write_fd, "wb", buffering=1 << 20) as out:
                try:
                    counts: dict[str, int] = {}
                    for chunk, done in chunks:
                        for key, rows in chunk.items():
                            if rows:
                                counts[key] = counts.get(key, 0) + len(rows)
                                data = sink.encode(key, rows)
                                out.write(FRAME.pack(keys.index(key), len(data)))
                                out.write(data)
                        out.write(FRAME.pack(PROGRESS, done))
                    data = pickle.dumps((counts, summary()))
                    out.write(FRAME.pack(DONE, len(data)))
                    out.write(data)
                    code = 0
                except BaseException:
                    message = traceback.format_exc().encode()
                    out.write(FRAME.pack(FAILED, len(message)))
                    out.write(message)
        finally:
            os._exit(code)
    os.close(write_fd)
    # A thread reads the child's frames into a queue while this one COPYs: without it, the child
    # blocks on a full pipe for as long as a chunk's COPY lasts and the two take turns instead of
    # working at once. The queue holds a few chunks at most (a chunk's events are tens of MB).
    frames: queue.Queue = queue.Queue(maxsize=6)
    reader = threading.Thread(target=_read_frames, args=(read_fd, frames), name="seed_demo pipe", daemon=True)
    reader.start()
    result = None
    try:
        while True:
            number, data = frames.get()
            if number == PROGRESS:
                bar.update(data)
                continue
            if number == DONE:
                result = pickle.loads(data)
                break
            if number == FAILED:
                raise RuntimeError("The seed_demo generator failed:\n" + data.decode())
            if number == STOPPED:
                raise RuntimeError("The seed_demo generator stopped without a word.")
            sink.write_encoded(keys[number], data)
    finally:
        if result is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        _pid, _status, usage = os.wait4(pid, 0)
        sink.meter.add_child("generate and load", usage.ru_utime + usage.ru_stime)
        while reader.is_alive():  # a COPY failed: take what the reader still puts, so that it ends
            with contextlib.suppress(queue.Empty):
                frames.get(timeout=0.1)
        reader.join()
    return result
