"""A long command that is stopped leaves nothing running on the database server: after SIGTERM or
SIGKILL none of its queries runs 10 s later (PostgreSQL's client_connection_check_interval), and a
command's statement that runs too long is stopped by the commands' own statement timeout."""

import signal
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.operations.commands import database_url, manage, manage_in_background

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only: it is PostgreSQL's server that must stop the query (pg_stat_activity, "
        "client_connection_check_interval, statement_timeout); CI (.ci/run) runs the suite on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def visits_locked():
    """Another session holds the visit table: the export's read of visits waits as long as it is held,
    like a query over a great many rows that takes that long. Yields a session to watch the server."""
    params = connection.settings_dict
    holder = psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"], autocommit=False
    )
    holder.execute("LOCK TABLE fieldwork_visit IN ACCESS EXCLUSIVE MODE")
    # pg_stat_activity is read from its own session: inside the holder's transaction it would stand still
    monitor = psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"], autocommit=True
    )
    yield monitor
    monitor.close()
    holder.rollback()
    holder.close()


def backends_waiting(monitor) -> set[int]:
    """Server processes of the test database waiting on a lock."""
    rows = monitor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchall()
    return {pid for (pid,) in rows}


def still_there(monitor, pids: set[int]) -> set[int]:
    rows = monitor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)]).fetchall()
    return {pid for (pid,) in rows}


def wait_for(condition, *, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_export_leaves_no_query_running(branch, team_a, visits_locked, tmp_path, signum):
    command = manage_in_background("export_unit", "branch", "--output", str(tmp_path / "out"), url=database_url())
    try:
        waiting = wait_for(lambda: backends_waiting(visits_locked), seconds=30)
        assert waiting, "the export never reached its read of visits"
        command.send_signal(signum)
        command.wait(timeout=10)

        left = wait_for(lambda: not still_there(visits_locked, waiting), seconds=10)
        assert left, f"still running 10 s after {signum.name}: {still_there(visits_locked, waiting)}"
    finally:
        if command.poll() is None:
            command.kill()
        command.communicate()  # reaps it and closes its pipes


def test_a_commands_statement_that_runs_too_long_is_stopped(branch, team_a, visits_locked, tmp_path):
    output = tmp_path / "out"
    started = time.monotonic()

    result = manage(
        "export_unit",
        "branch",
        "--output",
        str(output),
        url=database_url(),
        timeout=30,
        DB_COMMAND_STATEMENT_TIMEOUT_MS="1500",
    )

    assert time.monotonic() - started < 20
    assert result.returncode != 0
    assert "statement timeout" in result.stderr
    assert "DB_COMMAND_STATEMENT_TIMEOUT_MS" in result.stderr
    assert not output.exists()  # no half-written export left behind
    assert not backends_waiting(visits_locked)
