"""`make run` (scripts/run_with_worker.sh) on a fresh SQLite file: the server answers, the worker beside
it runs the day's reminders, and stopping the script stops both."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> set[int]:
    found = set()
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in path.read_text().split():
            found |= {int(child)} | children(int(child))
    return found


def wait_for(check, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


def test_make_run_serves_with_a_worker_and_stops_both(tmp_path):
    database = tmp_path / "run.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "FIELDWORK_REMINDERS_AT": "00:00",  # due at once, whatever the hour
        "EMAIL_URL": "console://",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    port = free_port()
    script = subprocess.Popen(
        ["scripts/run_with_worker.sh", sys.executable, f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def healthz():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    return response.status
            except OSError:
                return None

        def reminders_done():
            with sqlite3.connect(database) as db:
                return db.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
                    ["fieldwork.tasks.send_reminders"],
                ).fetchall()

        assert wait_for(healthz, 30) == 200
        assert wait_for(lambda: reminders_done() == [("SUCCESSFUL",)], 30), reminders_done()
        started = children(script.pid)
        assert len(started) >= 2  # the worker and the server (with its reloader's child)

        script.send_signal(signal.SIGTERM)
        script.wait(timeout=20)

        assert wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in started), 10)
        assert healthz() is None
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
