"""Logging a grassroots visit: the entry form with inline concerns, the list, the detail page, editing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork import workdays
from fieldwork.models import Concern, ConcernEvent, Visit
from tests.factories import ConcernFactory, VisitFactory, category, principle


def visit_post(unit_, *, concerns=(), **overrides):
    """The POST body of the visit form, with inline concerns given as dicts."""
    data = {
        "unit": unit_.pk,
        "date": timezone.localdate().isoformat(),
        "form": Visit.Form.HEART_TO_HEART,
        "location": "Night shift room",
        "people_reached": "4",
        "summary": "They asked about the canteen hours.",
        "principles": [principle("pragmatism").pk, principle("positioning").pk],
        "concerns-TOTAL_FORMS": str(len(concerns)),
        "concerns-INITIAL_FORMS": "0",
        "concerns-MIN_NUM_FORMS": "0",
        "concerns-MAX_NUM_FORMS": "20",
    }
    for index, concern in enumerate(concerns):
        defaults = {"title": f"Concern {index}", "category": category().pk, "priority": "normal"}
        for key, value in {**defaults, **concern}.items():
            data[f"concerns-{index}-{key}"] = value
    data.update(overrides)
    return data


# --- entry ------------------------------------------------------------------------------------------


def test_cadre_logs_a_visit_with_two_concerns(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    response = client.post(
        reverse("fieldwork:visit-create"),
        visit_post(
            team_a,
            concerns=[
                {
                    "title": "食堂夜班不供应热饭",
                    "priority": "urgent",
                    "raised_by_name": "刘师傅",
                    "raised_by_contact": "139",
                },
                {
                    "title": "Work boots wear out",
                    "category": category("working_conditions").pk,
                    "anonymous": "on",
                    "raised_by_name": "should be dropped",
                },
            ],
        ),
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert visit.author == cadre_a
    assert list(visit.cadres.all()) == [cadre_a]
    assert {p.code for p in visit.principles.all()} == {"pragmatism", "positioning"}
    urgent, boots = visit.concerns.order_by("id")
    today = timezone.localdate()
    assert urgent.title == "食堂夜班不供应热饭"
    assert urgent.due_date == workdays.add_working_days(today, 7)  # working days, with the holidays
    assert urgent.owner == cadre_a and urgent.source == Concern.Source.VISIT and urgent.unit == team_a
    assert urgent.raised_by_contact == "139"
    assert boots.due_date == workdays.add_working_days(today, 30)
    assert boots.anonymous and boots.raised_by_name == ""
    assert urgent.reference.startswith(f"FW-{today.year}-") and urgent.reference != boots.reference
    assert ConcernEvent.objects.filter(kind=ConcernEvent.Kind.RAISED).count() == 2
    page = client.get(response["Location"])
    assert "食堂夜班不供应热饭" in page.content.decode()


def test_due_days_are_configurable(client_for, cadre_a, team_a, settings):
    settings.FIELDWORK = {**settings.FIELDWORK, "DUE_DAYS": {"urgent": 3, "normal": 10, "long_term": 60}}
    client_for(cadre_a).post(
        reverse("fieldwork:visit-create"), visit_post(team_a, concerns=[{"priority": "long_term"}])
    )
    assert Concern.objects.get().due_date == workdays.add_working_days(timezone.localdate(), 60)


def test_visit_without_concerns(client_for, cadre_a, sub_a):
    response = client_for(cadre_a).post(reverse("fieldwork:visit-create"), visit_post(sub_a))
    assert response.status_code == 302
    assert Visit.objects.get().unit == sub_a  # a unit below the cadre's own team is in scope


def test_entry_form_renders_on_get_with_today(client_for, cadre_a, team_a):
    response = client_for(cadre_a).get(reverse("fieldwork:visit-create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Right positioning" in html  # principles as labelled checkboxes
    assert "data-unit-picker" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2999-01-01"}, "date", "cannot be dated in the future"),
        ({"date": "not-a-date"}, "date", "Enter a valid date"),
        ({"people_reached": "0"}, "people_reached", "greater than or equal to 1"),
        ({"people_reached": "-5"}, "people_reached", "greater than or equal to 1"),
        ({"people_reached": "99999999999999999999"}, "people_reached", "less than or equal to 100000"),
        ({"form": "party"}, "form", "Select a valid choice"),
        ({"unit": "999999"}, "unit", "Select a valid choice"),
        ({"location": "x" * 201}, "location", "at most 200 characters"),
        ({"summary": "x" * 5001}, "summary", "at most 5000 characters"),
    ],
)
def test_bad_visit_input_is_refused_beside_the_field(client_for, cadre_a, team_a, overrides, field, message):
    response = client_for(cadre_a).post(reverse("fieldwork:visit-create"), visit_post(team_a, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert Visit.objects.count() == 0


def test_unit_outside_scope_is_refused(client_for, cadre_a, team_b):
    response = client_for(cadre_a).post(reverse("fieldwork:visit-create"), visit_post(team_b))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert Visit.objects.count() == 0


def test_one_invalid_concern_saves_nothing(client_for, cadre_a, team_a):
    response = client_for(cadre_a).post(
        reverse("fieldwork:visit-create"),
        visit_post(team_a, concerns=[{"title": "Fine"}, {"title": "", "description": "no title"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["title"]
    assert Visit.objects.count() == 0 and Concern.objects.count() == 0


def test_oversized_concern_is_refused(client_for, cadre_a, team_a):
    response = client_for(cadre_a).post(
        reverse("fieldwork:visit-create"), visit_post(team_a, concerns=[{"title": "t" * 201}])
    )
    assert "title" in response.context["formset"].forms[0].errors
    assert Concern.objects.count() == 0


def test_tampered_management_form_is_refused(client_for, cadre_a, team_a):
    data = visit_post(team_a, concerns=[{"title": "One"}])
    data["concerns-TOTAL_FORMS"] = "5000"
    response = client_for(cadre_a).post(reverse("fieldwork:visit-create"), data)
    assert response.status_code == 200
    assert Visit.objects.count() == 0


def test_rollback_when_a_concern_fails_in_the_service(client_for, cadre_a, team_a, monkeypatch):
    """A failure while writing the second concern leaves neither the visit nor the first concern."""
    from fieldwork.errors import DomainError
    from fieldwork.services import concerns as concern_services

    real = concern_services.concern_create
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise DomainError("disk on fire")
        return real(**kwargs)

    monkeypatch.setattr(concern_services, "concern_create", failing)
    response = client_for(cadre_a).post(
        reverse("fieldwork:visit-create"), visit_post(team_a, concerns=[{"title": "A"}, {"title": "B"}])
    )
    assert response.status_code == 200
    assert "disk on fire" in response.content.decode()
    assert Visit.objects.count() == 0 and Concern.objects.count() == 0


def test_add_a_concern_without_javascript_keeps_the_input(client_for, cadre_a, team_a):
    data = visit_post(team_a, concerns=[{"title": "Keep me"}])
    data["add_concern"] = "1"
    response = client_for(cadre_a).post(reverse("fieldwork:visit-create"), data)
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    assert "Keep me" in response.content.decode()
    assert Visit.objects.count() == 0


def test_htmx_adds_a_numbered_concern_form(client_for, cadre_a):
    response = client_for(cadre_a).get(
        reverse("fieldwork:visit-concern-form"), {"concerns-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'name="concerns-2-title"' in html
    assert 'value="3"' in html and 'hx-swap-oob="true"' in html
    limit = client_for(cadre_a).get(reverse("fieldwork:visit-concern-form"), {"concerns-TOTAL_FORMS": "20"})
    assert "at most 20 concerns" in limit.content.decode()


def test_anonymous_is_sent_to_sign_in(client, team_a):
    for url in [reverse("fieldwork:visit-create"), reverse("fieldwork:visit-list"), reverse("fieldwork:my-work")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(reverse("fieldwork:visit-create"), visit_post(team_a)).status_code == 302
    assert Visit.objects.count() == 0


def test_repeated_submit_is_a_second_visit_not_a_500(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    data = visit_post(team_a, concerns=[{"title": "Same"}])
    assert client.post(reverse("fieldwork:visit-create"), data).status_code == 302
    assert client.post(reverse("fieldwork:visit-create"), data).status_code == 302
    assert len(set(Concern.objects.values_list("reference", flat=True))) == 2


# --- scope, detail, edit -----------------------------------------------------------------------------


def test_cadre_of_a_sibling_team_gets_404(client_for, cadre_b_other_team, team_a, cadre_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    client = client_for(cadre_b_other_team)
    assert client.get(reverse("fieldwork:visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).status_code == 404


def test_cadre_sees_visits_of_units_below(client_for, cadre_a, sub_a, team_b, cadre_b_other_team):
    below = VisitFactory(unit=sub_a, author=cadre_a, summary="below")
    sibling = VisitFactory(unit=team_b, author=cadre_b_other_team, summary="sibling")
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:visit-detail", args=[below.pk])).status_code == 200
    listed = client.get(reverse("fieldwork:visit-list")).context["page"].object_list
    assert list(listed) == [below]
    assert sibling not in listed


def test_leader_sees_the_whole_branch(client_for, leader_branch, team_a, team_b, cadre_a, cadre_b_other_team):
    VisitFactory(unit=team_a, author=cadre_a)
    VisitFactory(unit=team_b, author=cadre_b_other_team)
    assert len(client_for(leader_branch).get(reverse("fieldwork:visit-list")).context["page"].object_list) == 2


def test_detail_shows_concerns_with_links(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    concern = ConcernFactory(unit=team_a, visit=visit, title="Leaking roof")
    html = client_for(cadre_a).get(visit.get_absolute_url()).content.decode()
    assert "Leaking roof" in html and concern.get_absolute_url() in html


def test_author_edits_a_visit(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a, people_reached=2)
    client = client_for(cadre_a)
    assert client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).status_code == 200
    response = client.post(
        reverse("fieldwork:visit-edit", args=[visit.pk]),
        visit_post(team_a, people_reached="9", concerns=[{"title": "Added later"}], version=visit.version),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.people_reached == 9
    assert visit.concerns.get().title == "Added later"


def test_leader_may_edit_another_cadres_visit(client_for, leader_branch, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    response = client_for(leader_branch).post(
        reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a, people_reached="7", version=1)
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.people_reached == 7 and visit.author == cadre_a


def test_other_cadre_in_scope_may_not_edit(client_for, cadre_a, team_a):
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, unit=team_a)
    visit = VisitFactory(unit=team_a, author=cadre_a, people_reached=2)
    client = client_for(colleague)
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(reverse("fieldwork:visit-edit", args=[visit.pk])).status_code == 403
    assert client.post(reverse("fieldwork:visit-edit", args=[visit.pk]), visit_post(team_a)).status_code == 403
    visit.refresh_from_db()
    assert visit.people_reached == 2


def test_detail_is_get_only(client_for, cadre_a, team_a):
    visit = VisitFactory(unit=team_a, author=cadre_a)
    assert client_for(cadre_a).post(visit.get_absolute_url()).status_code == 405


# --- list ------------------------------------------------------------------------------------------


def test_list_filters(client_for, leader_branch, team_a, sub_a, team_b, cadre_a, cadre_b_other_team):
    today = timezone.localdate()
    in_sub = VisitFactory(unit=sub_a, author=cadre_a, form=Visit.Form.SYMPOSIUM, date=today)
    old = VisitFactory(unit=team_a, author=cadre_a, date=today - datetime.timedelta(days=40))
    other = VisitFactory(unit=team_b, author=cadre_b_other_team)
    other.cadres.add(cadre_b_other_team)
    in_sub.principles.add(principle("integrity"))
    client = client_for(leader_branch)

    def listed(**params):
        return set(client.get(reverse("fieldwork:visit-list"), params).context["page"].object_list)

    assert listed(unit=team_a.pk) == {in_sub, old}
    assert listed(form="symposium") == {in_sub}
    assert listed(date_from=(today - datetime.timedelta(days=7)).isoformat()) == {in_sub, other}
    assert listed(date_to=(today - datetime.timedelta(days=30)).isoformat()) == {old}
    assert listed(principle=principle("integrity").pk) == {in_sub}
    assert listed(cadre=cadre_b_other_team.pk) == {other}
    # junk never gives a 500
    response = client.get(reverse("fieldwork:visit-list"), {"unit": "abc", "date_from": "2026-13-45", "page": "x"})
    assert response.status_code == 200


def test_list_unit_filter_refuses_a_unit_outside_scope(client_for, cadre_a, team_b, cadre_b_other_team):
    VisitFactory(unit=team_b, author=cadre_b_other_team)
    response = client_for(cadre_a).get(reverse("fieldwork:visit-list"), {"unit": team_b.pk})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow(client_for, leader_branch, team_a, cadre_a, rows, django_assert_num_queries):
    for _ in range(rows):
        visit = VisitFactory(unit=team_a, author=cadre_a)
        ConcernFactory(unit=team_a, visit=visit)
    client = client_for(leader_branch)
    client.get(reverse("fieldwork:visit-list"))  # warm the session
    with django_assert_num_queries(QUERIES_VISIT_LIST):
        response = client.get(reverse("fieldwork:visit-list"))
    assert len(response.context["page"].object_list) == min(rows, 25)


# session, user, memberships, count, page rows, unit picker options, filter choices (principles, cadres), and
# the calendar (a leader's banner says when the coming days' holidays are only estimated)
QUERIES_VISIT_LIST = 9
