"""GET /people/search/: at most 20 people the user may pick, by name, pinyin or initials, scoped like the data."""

import pytest
from django.urls import reverse
from django.utils import translation

from fieldwork import pickers
from tests.factories import MembershipFactory
from tests.people.conftest import person

URL = reverse("fieldwork:people-search")


def found(client, **params):
    response = client.get(URL, {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


def names(client, **params):
    return [row["text"] for row in found(client, **params)["results"]]


@pytest.fixture
def named(team_a, team_b):
    return {
        "王卫国": person(team_a, "王", "卫国", username="wangwg"),
        "曾国藩": person(team_a, "曾", "国藩", username="zgf_login"),
        "单田芳": person(team_b, "单", "田芳"),
        "解缙": person(team_b, "解", "缙"),
    }


def test_chinese_characters_and_their_tails_find_a_person(client_for, leader_branch, named):
    client = client_for(leader_branch)
    assert names(client, q="王卫国") == ["王卫国"]
    assert names(client, q="卫国") == ["王卫国"]
    assert "王卫国" in names(client, q="王")


@pytest.mark.parametrize("typed", ["wwg", "WWG", "wangwei", "wang wei guo", "weiguo"])
def test_pinyin_and_initials_find_a_person(client_for, leader_branch, named, typed):
    assert "王卫国" in names(client_for(leader_branch), q=typed)


@pytest.mark.parametrize(
    ("typed", "name"),
    [("zgf", "曾国藩"), ("cgf", "曾国藩"), ("stf", "单田芳"), ("dtf", "单田芳"), ("xj", "解缙"), ("jj", "解缙")],
)
def test_polyphonic_surnames_match_by_either_reading(client_for, leader_branch, named, typed, name):
    assert name in names(client_for(leader_branch), q=typed)


def test_names_read_as_people_read_them_never_a_login_name(client_for, leader_branch, named):
    client = client_for(leader_branch)
    (row,) = found(client, q="wwg")["results"]
    assert row == {"value": named["王卫国"].pk, "text": "王卫国", "hint": "Team A"}
    assert found(client, q="wangwg")["results"] == []  # the username finds no one
    assert "zgf_login" not in client.get(URL, {"q": "zgf"}).content.decode()


def test_the_scope_is_the_users_units(client_for, cadre_a, leader_other_branch, named):
    assert names(client_for(cadre_a), q="单") == []  # 单田芳 works in team B, outside cadre A's team
    assert names(client_for(cadre_a), q="曾") == ["曾国藩"]
    assert names(client_for(leader_other_branch), q="wwg") == []


def test_within_a_unit_outside_the_scope_is_a_404(client_for, cadre_a, team_a, team_b, named):
    client = client_for(cadre_a)
    assert client.get(URL, {"q": "曾", "within": team_b.pk}).status_code == 404
    assert client.get(URL, {"q": "曾", "within": "１"}).status_code == 404  # not an id the app writes
    assert names(client, q="曾", within=team_a.pk) == ["曾国藩"]


def test_an_unknown_kind_is_a_404_and_anonymous_is_sent_to_sign_in(client, client_for, cadre_a):
    assert client.get(URL, {"q": "王"}).status_code == 302
    assert client_for(cadre_a).get(URL, {"q": "王", "kind": "nobody-such"}).status_code == 404


def test_at_most_twenty_and_a_message_to_type_more(client_for, leader_branch, team_a):
    for n in range(pickers.LIMIT + 5):
        person(team_a, "王", f"同{n:02d}")
    answer = found(client_for(leader_branch), q="王")
    assert len(answer["results"]) == pickers.LIMIT == 20
    assert answer["more"] is True and "type more" in answer["message"]


def test_messages_for_nothing_typed_and_no_match(client_for, leader_branch, named):
    client = client_for(leader_branch)
    assert "pinyin initials" in found(client, q="")["message"]
    assert found(client, q="qqqq")["message"] == "Nobody you may choose matches “qqqq”."


def test_the_fragment_offers_radio_buttons_or_checkboxes_named_after_the_field(client_for, leader_branch, named):
    client = client_for(leader_branch)
    html = client.get(URL, {"field": "owner", "owner__q": "wwg"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'type="radio" name="owner" value="{named["王卫国"].pk}"' in html and "王卫国" in html
    html = client.get(URL, {"field": "cadres", "cadres__q": "wwg", "multiple": "1"}).content.decode()
    assert f'type="checkbox" name="cadres" value="{named["王卫国"].pk}"' in html


def test_the_message_is_in_the_pages_language(client_for, leader_branch):
    with translation.override("zh-hans"):
        expected = pickers.Matches(query="").message
    response = client_for(leader_branch).get(URL, {"q": "", "format": "json"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.headers["Content-Language"] == "zh-hans"
    assert response.json()["message"] == expected


@pytest.mark.parametrize("size", [3, 40])
def test_query_count_does_not_grow(client_for, leader_branch, team_a, team_b, size, django_assert_num_queries):
    for n in range(size):
        person(team_a if n % 2 else team_b, "王", f"众{n:02d}")
    client = client_for(leader_branch)
    client.get(URL, {"q": "w"})  # the session is warm
    # session, user, the user's memberships (scope), the matches, the units of the twenty shown
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": "王", "format": "json"})
    assert len(response.json()["results"]) == min(size, 20)


def test_the_hint_names_only_a_unit_the_asker_may_see(client_for, leader_branch, other_branch, team_a):
    both = person(other_branch, "龚", "自珍")
    MembershipFactory(user=both, unit=team_a)
    assert found(client_for(leader_branch), q="gzz")["results"][0]["hint"] == "Team A"
