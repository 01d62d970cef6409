"""The concern list's search box: what was typed, as a substring of the reference, title or description,
case folded; in Chinese, Latin and digits; within the reader's scope."""

import pytest

from tests.concerns.list_helpers import LIST, references


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("巡线", {"patrol"}),  # two characters
        ("线", {"patrol", "line"}),  # one
        ("夜间巡线照明", {"patrol"}),
        ("巡线照明不足啊", set()),  # all but the last character present
        ("线巡", set()),  # both characters, not in this order
        ("10kv", {"patrol"}),  # case folded
        ("abb开关", {"gloves"}),
        ("FW-2026-0001", {"patrol", "gloves", "quote", "line"}),
        ("fw-2025", set()),  # out of scope
        ("000102", {"gloves"}),
        ("it's", {"quote"}),  # characters a query language would read
        ("50%", {"quote"}),
        ("%", {"quote"}),
        ("_", {"quote"}),
        ("a\\b", {"quote"}),
        ("x&y", {"quote"}),
        ("!(z)", {"quote"}),
        (": x", {"quote"}),
        ("  老化 ", {"gloves"}),  # spaces around are not searched
        ("头灯 不够", set()),  # a space inside is
    ],
)
def test_search_finds_the_substring(client_for, leader_branch, worded, query, expected):
    response = client_for(leader_branch).get(LIST, {"q": query})
    assert response.status_code == 200
    assert set(references(response)) == {worded[name].reference for name in expected}


def test_a_query_past_the_limit_is_cut_not_refused(client_for, leader_branch, worded):
    response = client_for(leader_branch).get(LIST, {"q": "绝缘手套老化" + "x" * 200})
    assert response.status_code == 200
    assert references(response) == []


def test_a_nul_is_no_search_and_no_error(client_for, leader_branch, worded):
    response = client_for(leader_branch).get(LIST, {"q": "巡\x00线"})
    assert response.status_code == 200
    assert len(references(response)) == 4
