"""What a person is found by: their name, its tails, its pinyin and initials by every reading."""

from django.core.management import call_command

from fieldwork.models import PersonKey
from fieldwork.name_keys import name_keys
from tests.factories import UserFactory


def keys(last, first, username="x"):
    return set(name_keys(first_name=first, last_name=last, username=username))


def test_a_chinese_name_is_found_by_its_characters_pinyin_and_initials():
    found = keys("王", "卫国")
    assert {"王卫国", "卫国", "国", "wangweiguo", "weiguo", "wwg", "wg"} <= found


def test_polyphonic_surnames_count_by_either_reading():
    assert {"zgf", "cgf", "zengguofan", "cengguofan"} <= keys("曾", "国藩")
    assert {"stf", "dtf", "shantianfang", "dantianfang"} <= keys("单", "田芳")
    assert {"xj", "jj", "xiejin", "jiejin"} <= keys("解", "缙")


def test_a_latin_name_by_its_words_and_a_nameless_account_by_its_username():
    assert keys("Li", "Fang") == {"fangli", "li"}
    assert keys("", "", username="cadre7") == {"cadre7"}
    assert "cadre7" not in keys("王", "芳", username="cadre7")  # a login name is never a way in


def test_whole_name_keys_rank_before_later_parts():
    ranked = name_keys(first_name="卫国", last_name="王", username="x")
    assert ranked["王卫国"] == 0 and ranked["wwg"] == 0 and ranked["卫国"] == 1 and ranked["国"] == 2


def test_saving_a_name_keeps_the_keys_current(db):
    user = UserFactory(username="renamed", last_name="李", first_name="芳")
    assert PersonKey.objects.filter(user=user, key="lf").exists()
    user.last_name, user.first_name = "曾", "敏"
    user.save()
    mine = set(PersonKey.objects.filter(user=user).values_list("key", flat=True))
    assert {"zm", "cm", "曾敏"} <= mine and "lf" not in mine


def test_a_sign_in_does_not_rewrite_the_keys(db, django_assert_num_queries):
    user = UserFactory(username="signs_in", last_name="李", first_name="芳")
    with django_assert_num_queries(1):  # the UPDATE of last_login alone
        user.save(update_fields=["last_login"])


def test_the_command_fills_the_keys_of_people_loaded_in_bulk(db):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.bulk_create([User(username="bulk1", last_name="单", first_name="田芳")])
    assert not PersonKey.objects.filter(user__username="bulk1").exists()
    call_command("rebuild_person_keys", verbosity=0)
    assert PersonKey.objects.filter(user__username="bulk1", key="stf").exists()
