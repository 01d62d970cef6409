"""Debian's nginx, run with the repository's deploy/nginx.conf in front of the live test server.

The file is rendered with only the listen ports, the upstream, the certificate and the paths of the pid
file, logs and temporary files changed; everything else is production's. A missing nginx (or openssl,
for the test's certificate) fails these tests: they never skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render(config: str, *, prefix: Path, http_port: int, https_port: int, upstream: str) -> str:
    """deploy/nginx.conf with only what a test run must change; each piece must still be in the file."""
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "server 127.0.0.1:8001;": f"server {upstream};",
        "/etc/ssl/fieldwork/fullchain.pem": str(prefix / "cert.pem"),
        "/etc/ssl/fieldwork/privkey.pem": str(prefix / "key.pem"),
        "/run/nginx.pid": str(prefix / "nginx.pid"),
        "/var/log/nginx/": f"{prefix}/logs/",
        "/var/lib/nginx/": f"{prefix}/temp/",
        "/srv/fieldwork/media/": f"{prefix}/media/",  # the photo storage's folder is <prefix>/media/photos/
    }
    for old, new in replacements.items():
        assert old in config, f"deploy/nginx.conf no longer contains {old!r}: tests/deploy/conftest.py renders it"
        config = config.replace(old, new)
    return config


@dataclass
class Nginx:
    http_port: int
    https_port: int
    prefix: Path

    def log(self, name: str = "error.log") -> str:
        path = self.prefix / "logs" / name
        return path.read_text(errors="replace") if path.exists() else ""


def _wait_for(port: int, process: subprocess.Popen, prefix: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace") for p in (prefix / "logs").glob("*.log"))
            pytest.fail(f"nginx exited with {process.returncode} at start:\n{logs}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("nginx did not listen within 15 s")


@pytest.fixture(scope="module")
def nginx(live_server):
    """nginx with deploy/nginx.conf, proxying to the live server; stopped when the module ends."""
    assert Path(NGINX).is_file(), (
        f"nginx not found at {NGINX}: install Debian's nginx (apt-get install nginx); "
        "tests/deploy run the repository's deploy/nginx.conf with it"
    )
    openssl = shutil.which("openssl")
    assert openssl, "openssl not found: install Debian's openssl (the test makes its own TLS certificate)"
    # Not under pytest's 0700 temporary folders: nginx's workers (www-data when run as root) must reach
    # their temporary files.
    prefix = Path(tempfile.mkdtemp(prefix="fieldwork-nginx-"))
    prefix.chmod(0o755)
    process = None
    try:
        (prefix / "logs").mkdir()
        (prefix / "temp").mkdir()
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-days", "2", "-subj", "/CN=localhost",
             "-keyout", str(prefix / "key.pem"), "-out", str(prefix / "cert.pem")],
            check=True,
            capture_output=True,
        )  # fmt: skip
        server = Nginx(http_port=free_port(), https_port=free_port(), prefix=prefix)
        config = render(
            CONFIG.read_text(),
            prefix=prefix,
            http_port=server.http_port,
            https_port=server.https_port,
            upstream=f"127.0.0.1:{live_server.thread.port}",
        )
        (prefix / "nginx.conf").write_text(config)
        process = subprocess.Popen(
            [NGINX, "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "logs" / "start.log"),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for(server.https_port, process, prefix)
        yield server
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


class _WideQueueServer(ThreadedWSGIServer):
    # Django's development server queues 10 connections; fifty at once would be reset. gunicorn
    # queues 2048 (its --backlog).
    request_queue_size = 128


class _WideQueueServerThread(LiveServerThread):
    server_class = _WideQueueServer


@pytest.fixture
def app_server(transactional_db, settings):
    """The app on a loopback port of its own, a thread and a database connection per request (like
    live_server), that takes fifty connections at once. Yields its port."""
    settings.ALLOWED_HOSTS = ["localhost"]
    thread = _WideQueueServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield thread.port
    thread.terminate()
