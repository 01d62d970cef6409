"""Adding a concern row to the visit form, without JavaScript and with htmx."""

from django.urls import reverse

from fieldwork.models import Visit
from tests.visits.helpers import visit_post


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
