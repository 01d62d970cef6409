"""Bad input is refused beside its field and saves nothing: the visit, a unit out of scope, one invalid
or oversized concern, a tampered form, a concern failing in the service."""

import pytest
from django.urls import reverse

from fieldwork.models import Concern, Visit
from tests.visits.helpers import visit_post


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
