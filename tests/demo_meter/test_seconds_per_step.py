"""seed_demo -v2 tells where its time goes: wall and CPU seconds per step, of the command, of the
generator's child process and of the PostgreSQL backend with its parallel workers (demo/meter.py)."""

import io
import os
import time

import pytest
from django.core.management import call_command
from django.db import connection

from fieldwork.demo.meter import Meter

from ..demo.conftest import TODAY_ARG

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the backend's CPU is read from the PostgreSQL process"
)


def _burn(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def test_a_step_counts_this_process_cpu():
    meter = Meter(None)
    with meter.step("burn"):
        _burn(0.3)
    with meter.step("burn"):  # a step met twice is summed
        _burn(0.2)
    with meter.step("wait"):
        time.sleep(0.3)
    meter.close()
    burn, wait = meter.steps["burn"], meter.steps["wait"]
    assert 0.45 <= burn.own <= burn.wall
    assert burn.backend is None  # no backend given
    assert wait.wall >= 0.3 and wait.own < 0.1


def test_a_process_that_is_not_there_has_no_backend_seconds():
    meter = Meter(2**22 + 12345)  # above Linux's pid_max
    assert meter.backend_pid is None and meter.backend_seconds() is None
    meter.close()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@postgresql_only
def test_a_step_counts_the_backend_cpu_and_not_as_this_process(db):
    meter = Meter(_backend_pid())
    with meter.step("query"), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 4000000) AS s(n) WHERE n % 7 = 3")
    meter.close()
    step = meter.steps["query"]
    assert step.backend is not None and step.backend >= 0.1
    assert step.own < step.backend


@postgresql_only
def test_a_parallel_workers_cpu_is_the_backends(db):
    """A query run by a parallel worker alone (force_parallel_mode, debug_parallel_query from
    PostgreSQL 16): the CPU is the worker's, a process of its own, and the step still counts it."""
    pid = _backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        setting = "debug_parallel_query" if int(cursor.fetchone()[0]) >= 160000 else "force_parallel_mode"
        cursor.execute(f"SET LOCAL {setting} = on")
        meter = Meter(pid)
        before = meter.backend_seconds()
        with meter.step("parallel", parallel=True):
            cursor.execute("SELECT sum(n) FROM generate_series(1, 15000000) AS s(n)")
        meter.close()
    own_backend = meter.steps["parallel"].backend
    assert meter.workers_seen, "no parallel worker was seen"
    assert own_backend is not None and own_backend >= 0.5
    assert before is not None


def test_seed_demo_v2_prints_the_steps(db):
    out = io.StringIO()
    call_command(
        "seed_demo", "--visits", "300", "--units", "40", "--today", TODAY_ARG, "-v2", stdout=out, stderr=io.StringIO()
    )
    lines = out.getvalue().splitlines()
    header = next(line for line in lines if "step" in line and "wall s" in line)
    assert header.split() == ["wall", "s", "this", "CPU", "gen", "CPU", "PG", "CPU", "step"]
    steps = {
        line.split("  ")[-1].strip(): line.split() for line in lines[lines.index(header) + 1 :] if line.startswith("  ")
    }
    for name in ("generate and load", "rollups", "person keys", "whole seed"):
        assert name in steps
    load = steps["generate and load"]
    if connection.vendor == "postgresql" and hasattr(os, "fork"):
        # wall, this CPU, the child's CPU, the backend's CPU, then the words of the step
        assert len(load) == 4 + 3
        assert all(float(value) >= 0 for value in load[:4])
        assert "all indexes" in steps and "all foreign keys" in steps
        assert any(name.startswith("copy fieldwork_concern") for name in steps)
    whole = steps["whole seed"]
    assert float(whole[0]) >= float(load[0])
