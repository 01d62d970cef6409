"""The local recording group robot of tests/webhooks (an HTTP server on 127.0.0.1, the only allowed host)."""

from tests.webhooks.conftest import make_robot, robot_server  # noqa: F401  (fixtures)
