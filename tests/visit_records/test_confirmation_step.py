"""The visit form's confirmation step, on the server and without JavaScript (issue 19, item 3): the
first POST answers the form again with the message beside the field and a confirm box with a reason
field, nothing saved; the second, with both, saves; the submission key holds across the two steps."""

import datetime
import re

import pytest
from django.urls import reverse

from fieldwork.models import Visit
from tests.forms.conftest import form_token
from tests.visits.helpers import visit_post

pytestmark = pytest.mark.clock(2026, 12, 1)

URL = reverse("fieldwork:visit-create")


def field_block(html: str, name: str) -> str:
    """The markup of one field's wrapper, the messages shown beside it included."""
    match = re.search(
        r'<div id="div_id_' + name + r'".*?(?=<div id="div_id_|<div class="border border-warning|$)', html, re.S
    )
    assert match, name
    return match.group(0)


def test_the_absurd_visit_is_answered_with_a_message_beside_each_field(client_for, cadre_a, team_a):
    client = client_for(cadre_a)
    key = form_token(client.get(URL).content.decode())
    response = client.post(
        URL, visit_post(team_a, date="1990-01-01", people_reached="50000", summary="", form_token=key)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Visit.objects.exists()
    assert "cannot be saved: check the date" in field_block(html, "date")
    assert "Say what was heard, or add at least one concern" in field_block(html, "summary")
    # the people reached need a confirmation too: asked at once, beside the number
    assert "More people than a visit usually reaches (300)" in field_block(html, "people_reached")
    assert 'name="confirm"' in html and 'name="confirmation_reason"' in html
    assert form_token(html) == key  # still the same opening of the form


def test_back_dated_takes_two_steps_and_keeps_the_reason(client_for, cadre_a, team_a, clock):
    client = client_for(cadre_a)
    key = form_token(client.get(URL).content.decode())
    late = (clock.today - datetime.timedelta(days=9)).isoformat()
    first = client.post(URL, visit_post(team_a, date=late, form_token=key))
    html = first.content.decode()
    assert first.status_code == 200 and not Visit.objects.exists()
    assert "This date is 9 days before the visit is logged" in field_block(html, "date")
    assert "is-invalid" in field_block(html, "date")
    assert 'name="confirm"' in html and 'name="confirmation_reason"' in html
    stamp = re.search(r'name="confirm_for" value="([^"]+)"', html).group(1)
    assert form_token(html) == key

    # ticked without a reason: asked for the reason, beside it
    no_reason = client.post(URL, visit_post(team_a, date=late, form_token=key, confirm="on", confirm_for=stamp))
    assert no_reason.status_code == 200 and not Visit.objects.exists()
    assert "Say in a few words why" in field_block(no_reason.content.decode(), "confirmation_reason")

    second = client.post(
        URL,
        visit_post(
            team_a,
            date=late,
            form_token=key,
            confirm="on",
            confirm_for=stamp,
            confirmation_reason="No signal at the pit",
        ),
    )
    visit = Visit.objects.get()
    assert second.status_code == 302 and second["Location"] == visit.get_absolute_url()
    assert visit.backdated and visit.confirmation_note == "No signal at the pit"
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "No signal at the pit" in page and "Logged late" in page

    # a resend of the confirmed POST (same key) makes nothing new and answers with the visit
    again = client.post(
        URL,
        visit_post(
            team_a,
            date=late,
            form_token=key,
            confirm="on",
            confirm_for=stamp,
            confirmation_reason="No signal at the pit",
        ),
        follow=True,
    )
    assert Visit.objects.count() == 1
    assert again.redirect_chain[-1][0] == visit.get_absolute_url()
    assert "Already saved" in again.content.decode()


def test_a_confirmation_of_other_values_asks_again(client_for, cadre_a, team_a, clock):
    """Confirmed for 9 days back, then the number changed to 5,000 in the same send: the new number
    was never shown to be confirmed, so the step comes again, unticked."""
    client = client_for(cadre_a)
    late = (clock.today - datetime.timedelta(days=9)).isoformat()
    html = client.post(URL, visit_post(team_a, date=late)).content.decode()
    stamp = re.search(r'name="confirm_for" value="([^"]+)"', html).group(1)
    response = client.post(
        URL,
        visit_post(
            team_a, date=late, people_reached="5000", confirm="on", confirm_for=stamp, confirmation_reason="Late"
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "More people than a visit usually reaches" in field_block(html, "people_reached")
    assert re.search(r'name="confirm"[^>]*checked', html) is None


def test_over_the_headcount_on_the_form(client_for, cadre_a, team_a):
    team_a.headcount = 20
    team_a.save()
    client = client_for(cadre_a)
    html = client.post(URL, visit_post(team_a, people_reached="21")).content.decode()
    assert f"More people than {team_a.name} has (20)" in field_block(html, "people_reached")
    stamp = re.search(r'name="confirm_for" value="([^"]+)"', html).group(1)
    response = client.post(
        URL,
        visit_post(team_a, people_reached="21", confirm="on", confirm_for=stamp, confirmation_reason="Two shifts"),
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.people_reached == 21 and not visit.backdated and visit.confirmation_note == "Two shifts"


def test_a_sensible_visit_saves_in_one_step(client_for, cadre_a, team_a):
    response = client_for(cadre_a).post(URL, visit_post(team_a))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert not visit.backdated and visit.confirmation_note == ""


def test_the_step_keeps_what_else_needs_correcting(client_for, cadre_a, team_a, clock):
    """A missing form of visit and a late date: both answered at once, the confirm box kept."""
    client = client_for(cadre_a)
    late = (clock.today - datetime.timedelta(days=9)).isoformat()
    html = client.post(URL, visit_post(team_a, date=late, form="")).content.decode()
    assert "This date is 9 days before" in html and 'name="confirmation_reason"' in html
    assert not Visit.objects.exists()


def test_a_visit_with_only_concerns_needs_no_summary(client_for, cadre_a, team_a):
    response = client_for(cadre_a).post(URL, visit_post(team_a, summary="", concerns=[{"title": "Boots"}]))
    assert response.status_code == 302 and Visit.objects.get().concerns.count() == 1


def test_editing_an_old_visit_asks_only_for_what_changes(client_for, cadre_a, team_a, clock):
    client = client_for(cadre_a)
    late = (clock.today - datetime.timedelta(days=9)).isoformat()
    html = client.post(URL, visit_post(team_a, date=late)).content.decode()
    stamp = re.search(r'name="confirm_for" value="([^"]+)"', html).group(1)
    client.post(URL, visit_post(team_a, date=late, confirm="on", confirm_for=stamp, confirmation_reason="Flood"))
    visit = Visit.objects.get()
    edit = reverse("fieldwork:visit-edit", args=[visit.pk])
    response = client.post(edit, visit_post(team_a, date=late, summary="Also the night bus.", version=visit.version))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.summary == "Also the night bus." and visit.backdated and visit.confirmation_note == "Flood"
    response = client.post(edit, visit_post(team_a, date=late, people_reached="999", version=visit.version))
    assert response.status_code == 200
    assert "More people than a visit usually reaches" in field_block(response.content.decode(), "people_reached")


def test_adding_a_concern_without_javascript_keeps_the_confirmation(client_for, cadre_a, team_a, clock):
    """The no-JavaScript "Add a concern" round trip in the middle of the step keeps the box, its tick
    and the reason typed; the save after it goes through."""
    client = client_for(cadre_a)
    late = (clock.today - datetime.timedelta(days=9)).isoformat()
    html = client.post(URL, visit_post(team_a, date=late)).content.decode()
    stamp = re.search(r'name="confirm_for" value="([^"]+)"', html).group(1)
    step = {"confirm": "on", "confirm_for": stamp, "confirmation_reason": "Flood"}
    added = client.post(URL, visit_post(team_a, date=late, add_concern="1", **step)).content.decode()
    assert not Visit.objects.exists()
    assert 'name="concerns-0-title"' in added
    assert re.search(r'name="confirm"[^>]*checked', added) and "Flood</textarea>" in added
    response = client.post(URL, visit_post(team_a, date=late, concerns=[{"title": "Boots"}], **step))
    assert response.status_code == 302
    assert Visit.objects.get().confirmation_note == "Flood"


def test_the_box_goes_once_nothing_needs_confirming(client_for, cadre_a, team_a, clock):
    client = client_for(cadre_a)
    late = (clock.today - datetime.timedelta(days=9)).isoformat()
    html = client.post(URL, visit_post(team_a, date=late)).content.decode()
    stamp = re.search(r'name="confirm_for" value="([^"]+)"', html).group(1)
    # the date corrected to today, the summary forgotten: refused for the summary, no box any more
    html = client.post(URL, visit_post(team_a, summary="", confirm_for=stamp)).content.decode()
    assert "Say what was heard" in field_block(html, "summary")
    assert 'name="confirm"' not in html
