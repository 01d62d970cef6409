"""The domain model's invariants: the unit tree, constraints, immutable events, references."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from fieldwork.models import Concern, ConcernEvent, Principle, ReferenceCounter, Unit, Visit
from fieldwork.services import concerns as concern_services
from tests.factories import ConcernFactory, VisitFactory, category


def test_unit_paths_form_a_tree(company, branch, team_a, sub_a):
    assert company.path == f"/{company.pk}/"
    assert sub_a.path == f"/{company.pk}/{branch.pk}/{team_a.pk}/{sub_a.pk}/"
    assert (company.depth, branch.depth, team_a.depth, sub_a.depth) == (0, 1, 2, 3)
    assert list(branch.subtree()) == [branch, team_a, sub_a]
    assert list(sub_a.ancestors()) == [company, branch, team_a]


def test_subtree_is_one_query(branch, team_a, sub_a, team_b, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert {u.code for u in Unit.objects.subtree_of(branch)} == {"branch", "team-a", "sub-a", "team-b"}


def test_moving_a_unit_carries_its_subtree(company, branch, team_a, sub_a, other_branch):
    team_a.parent = other_branch
    team_a.save()
    sub_a.refresh_from_db()
    assert sub_a.path == f"/{company.pk}/{other_branch.pk}/{team_a.pk}/{sub_a.pk}/"
    assert sub_a.depth == 3
    assert team_a not in Unit.objects.subtree_of(branch)


def test_unit_cannot_move_under_itself(branch, sub_a):
    from django.core.exceptions import ValidationError

    branch.parent = sub_a
    with pytest.raises(ValidationError):
        branch.full_clean()


def test_leaves_are_the_grassroots_units(company, branch, team_a, sub_a, team_b, other_branch):
    assert set(Unit.objects.subtree_of(branch).leaves()) == {sub_a, team_b}
    sub_a.active = False
    sub_a.save()
    assert set(Unit.objects.subtree_of(branch).leaves()) == {team_a, team_b}


def test_visit_needs_one_person_reached(team_a, cadre_a):
    with pytest.raises(IntegrityError):
        VisitFactory(unit=team_a, author=cadre_a, people_reached=0)


def test_resolved_concern_needs_a_resolution(team_a):
    with pytest.raises(IntegrityError):
        ConcernFactory(unit=team_a, status=Concern.Status.RESOLVED, resolution="")


def test_events_are_immutable(team_a):
    event = ConcernEvent.objects.create(concern=ConcernFactory(unit=team_a), kind=ConcernEvent.Kind.RAISED)
    event.note = "rewritten"
    with pytest.raises(Exception, match="immutable"):
        event.save()
    with pytest.raises(Exception, match="immutable"):
        event.delete()


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


def test_references_count_up_per_year(team_a, cadre_a):
    data = concern_services.ConcernInput(title="Canteen closes too early", category=category())
    first = concern_services.concern_create(unit=team_a, data=data, by=cadre_a)
    second = concern_services.concern_create(unit=team_a, data=data, by=cadre_a)
    year = timezone.localdate().year
    assert first.reference == f"FW-{year}-000001"
    assert second.reference == f"FW-{year}-000002"
    old = concern_services.concern_create(
        unit=team_a, data=data, by=cadre_a, raised_at=timezone.now() - datetime.timedelta(days=800)
    )
    old_year = timezone.localtime(timezone.now() - datetime.timedelta(days=800)).year
    assert old.reference == f"FW-{old_year}-000001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_references_are_unique_under_concurrent_saves(team_a, cadre_a):
    """Eight threads raise concerns at once; every reference is handed out exactly once."""
    if connection.vendor == "sqlite":
        # The in-memory SQLite test database locks whole tables across threads; the race this guards
        # against is a PostgreSQL one, and CI runs this test there with eight threads.
        threads_count, per_thread = 1, 5
    else:
        threads_count, per_thread = 8, 5
    errors = []
    barrier = threading.Barrier(threads_count)

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    concern_services.concern_create(
                        unit=team_a,
                        data=concern_services.ConcernInput(title="Parallel", category=category()),
                        by=cadre_a,
                    )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(Concern.objects.values_list("reference", flat=True))
    assert len(references) == threads_count * per_thread == len(set(references))
    counter = ReferenceCounter.objects.get(year=timezone.localdate().year)
    assert counter.last == threads_count * per_thread


def test_visit_str_and_url(team_a, cadre_a):
    visit = VisitFactory(unit=team_a, author=cadre_a, date=datetime.date(2026, 7, 1))
    assert "2026-07-01" in str(visit)
    assert visit.get_absolute_url() == f"/visits/{visit.pk}/"
    assert Visit.objects.count() == 1


def test_the_public_channels_own_path_is_not_a_unit_code(branch):
    from django.core.exceptions import ValidationError

    unit = Unit(name="Track team", code="track", parent=branch)
    with pytest.raises(ValidationError, match="reserved"):
        unit.full_clean()
