"""A cadre logs a visit, with or without concerns raised in it; the form opens on today; signed in only;
a repeated submit is a second visit, not a 500."""

from django.urls import reverse
from django.utils import timezone

from fieldwork import workdays
from fieldwork.models import Concern, ConcernEvent, Visit
from tests.factories import category
from tests.visits.helpers import visit_post


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
