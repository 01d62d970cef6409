"""How people's names are shown: Chinese names family name first without a space."""

import pytest

from fieldwork.display import display_name
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("first", "last", "username", "shown"),
    [
        ("芳", "李", "lifang", "李芳"),
        ("Fang", "Li", "fli", "Fang Li"),
        ("", "", "cadre7", "cadre7"),
        ("建国", "", "j", "建国"),
    ],
)
def test_display_name(db, first, last, username, shown):
    assert display_name(UserFactory(username=username, first_name=first, last_name=last)) == shown


def test_pages_show_the_chinese_order(client_for, leader_branch):
    html = client_for(leader_branch).get("/visits/").content.decode()
    assert "李芳" in html and "芳 李" not in html
