"""The demo's accounts and the sign-in table seed_demo prints."""

import re

from django.contrib.auth import get_user_model

from fieldwork import demo
from fieldwork.demo.people import _width
from fieldwork.models import (
    Membership,
    Visit,
)

from .conftest import TODAY_ARG, run_seed

User = get_user_model()


def test_default_demo_sign_ins(default_demo):
    assert "demo-pass-2026" in default_demo
    for username in ("admin", "leader", "leader_bdyx", "cadre", "cadre2"):
        assert username in default_demo
        user = User.objects.get(username=username)
        assert user.check_password(demo.PASSWORD)
        assert re.fullmatch(r"[\u4e00-\u9fff]+", user.last_name + user.first_name)
    assert User.objects.get(username="admin").is_superuser
    roles = {(m.user.username, m.unit.code): m.role for m in Membership.objects.select_related("user", "unit")}
    assert roles[("leader", "gd")] == Membership.Role.LEADER
    assert roles[("leader_bdyx", "bdyx")] == Membership.Role.LEADER
    assert roles[("cadre", "bdyx-1")] == Membership.Role.CADRE
    assert roles[("cadre2", "bdyx-2")] == Membership.Role.CADRE
    # One password hash for everyone: hashing is slow, and they all share the demo password.
    assert User.objects.values("password").distinct().count() == 1


def test_an_existing_account_with_a_demo_name_is_reused(db):
    admin = User.objects.create_superuser("admin", "admin@example.com", "my-own-password-1")
    run_seed("--visits", "20", "--today", TODAY_ARG)
    admin.refresh_from_db()
    assert admin.check_password("my-own-password-1")
    assert User.objects.filter(username="admin").count() == 1
    assert User.objects.get(username="cadre").check_password(demo.PASSWORD)


def test_sign_in_table_lines_up_chinese():
    lines = demo.format_table([("unit", "role"), ("变电站", "cadre"), ("x", "leader")]).splitlines()
    columns = {_width(line[: line.index(word)]) for line, word in zip(lines, ["role", "cadre", "leader"], strict=True)}
    assert columns == {8}


def test_if_empty_leaves_existing_data_alone(default_demo):
    visits = Visit.objects.count()
    out = run_seed("--if-empty", "--visits", "50")
    assert Visit.objects.count() == visits
    assert "cadre" in out and demo.PASSWORD in out
