"""The data migration seeds the five principles and the categories, named in the user's language."""

from fieldwork.models import Principle
from tests.factories import category


def test_data_migration_seeds_the_five_principles_and_categories(db):
    assert list(Principle.objects.values_list("code", "essay_section")) == [
        ("positioning", 1),
        ("learning", 2),
        ("pragmatism", 3),
        ("integrity", 4),
        ("keeping_pace", 5),
    ]
    assert Principle.objects.get(code="integrity").name_zh == "清廉正直，接受监督"
    assert category("cadre_conduct").name_en == "Conduct of cadres"
    assert category("other").name_zh == "其他"


def test_bilingual_names_follow_the_language(db):
    from django.utils import translation

    principle = Principle.objects.get(code="pragmatism")
    with translation.override("zh-hans"):
        assert str(principle) == "务实敬业"
    with translation.override("en"):
        assert str(principle) == "Pragmatic dedication"
