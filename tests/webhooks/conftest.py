"""A group robot on this machine: an HTTP server on 127.0.0.1 (a random port) that records every message it
receives and answers as it is told (ok, a 5xx, the platform's error code, a 4xx, or not at all for a while);
for a 钉钉 robot with a secret it checks the signature as 钉钉 does. Nothing in these tests leaves the machine:
the allow-list holds only this server's address."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fieldwork.models import UnitWebhook


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: dict
    signature_ok: bool | None  # None: no secret to check against


@dataclass
class Robot:
    """The server: `answer` is "ok", "500", "errcode", "400" or "hang"; `delay` seconds before answering."""

    port: int = 0
    answer: str = "ok"
    delay: float = 0.0
    secret: str = ""
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key=robot-key-1234"

    def texts(self) -> list[str]:
        return [json.dumps(item.body, ensure_ascii=False) for item in self.received]


def _handler(robot: Robot):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            signature_ok = None
            if robot.secret:
                expected = base64.b64encode(
                    hmac.new(
                        robot.secret.encode(), f"{query.get('timestamp')}\n{robot.secret}".encode(), hashlib.sha256
                    ).digest()
                ).decode()
                fresh = abs(int(query.get("timestamp", "0")) - time.time() * 1000) < 3600 * 1000
                signature_ok = fresh and hmac.compare_digest(expected, query.get("sign", ""))
            with robot.lock:
                robot.received.append(
                    Received(parts.path, query, dict(self.headers), json.loads(raw or b"{}"), signature_ok)
                )
            if robot.answer == "hang":
                time.sleep(3)
            elif robot.delay:
                time.sleep(robot.delay)
            if robot.answer == "500":
                self._send(502, {"error": "bad gateway"})
            elif robot.answer == "400":
                self._send(400, {"error": "bad request"})
            elif robot.answer == "errcode" or signature_ok is False:
                self._send(200, {"errcode": 310000 if signature_ok is False else 45009, "errmsg": "refused"})
            else:
                self._send(200, {"errcode": 0, "errmsg": "ok"})

        def _send(self, status: int, body: dict):
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (a timeout)

    return Handler


@pytest.fixture
def robot_server(settings):
    """The local robot, on the allow-list (plain HTTP, this address only); short timeouts."""
    robot = Robot()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
    server.daemon_threads = True
    robot.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FIELDWORK = {
        **settings.FIELDWORK,
        "WEBHOOK_HOSTS": ("qyapi.weixin.qq.com", "oapi.dingtalk.com", f"http://127.0.0.1:{robot.port}"),
        "WEBHOOK_TIMEOUT_SECONDS": 1,
        "WEBHOOK_RETRY_SECONDS": 60,
        "WEBHOOK_ATTEMPTS": 3,
    }
    yield robot
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_robot(robot_server):
    def make(unit, *, platform=UnitWebhook.Platform.WECOM, secret="", **kwargs) -> UnitWebhook:
        return UnitWebhook.objects.create(
            unit=unit,
            name=kwargs.pop("name", f"{unit.name} group"),
            platform=platform,
            url=kwargs.pop("url", robot_server.url),
            secret=secret,
            secret_hint=("…" + secret[-4:]) if secret else "",
            **kwargs,
        )

    return make


@pytest.fixture
def staff_branch(branch):
    """A leader of the branch who is staff with every permission of every model (the worst case)."""
    from django.contrib.auth.models import Permission

    from fieldwork.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="staff_branch", is_staff=True)
    MembershipFactory(user=user, unit=branch, role=Membership.Role.LEADER)
    user.user_permissions.set(Permission.objects.all())
    return user
