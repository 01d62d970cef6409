"""A cadre keeps confidential notes of a heart-to-heart talk: encrypted, readable by them and the people
they name only; refused beside the field on another form of visit or for a reader who cannot open it."""

from django.core.signals import got_request_exception
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from fieldwork.models import ConfidentialNote, Visit
from fieldwork.services import talks as talk_services
from tests.factories import MembershipFactory, UserFactory
from tests.talks.conftest import SECRET
from tests.visits.helpers import visit_post


def test_notes_are_stored_encrypted_apart_from_the_visit(talk, cadre_a, secretary):
    note = ConfidentialNote.objects.get(visit=talk)
    assert note.author == cadre_a
    assert list(note.readers.all()) == [secretary]
    assert SECRET not in note.ciphertext and note.ciphertext.startswith("gAAAA")  # a Fernet token
    assert SECRET not in talk.summary
    assert all(SECRET not in str(value) for value in Visit.history.filter(id=talk.pk).values_list())


def test_author_and_named_reader_read_the_notes(talk, client_for, cadre_a, secretary):
    for person in (cadre_a, secretary):
        page = client_for(person).get(talk.get_absolute_url())
        assert page.status_code == 200
        assert SECRET in page.content.decode()


def test_others_in_scope_do_not(talk, client_for, cadre_a2, leader_team_a, leader_branch, superuser):
    for person in (cadre_a2, leader_team_a, leader_branch, superuser):
        page = client_for(person).get(talk.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert SECRET not in body
        assert "readable only by their author" in body


def test_the_notes_field_is_never_kept_offline(client_for, cadre_a):
    page = client_for(cadre_a).get(reverse("fieldwork:visit-create")).content.decode()
    assert 'name="note-text"' in page
    textarea = page[page.index('name="note-text"') - 300 : page.index('name="note-text"') + 300]
    assert "data-never-offline" in textarea


def test_notes_on_another_form_of_visit_are_refused_beside_the_field(client_for, cadre_a, team_a):
    response = client_for(cadre_a).post(
        reverse("fieldwork:visit-create"), visit_post(team_a, form=Visit.Form.SYMPOSIUM, **{"note-text": SECRET})
    )
    assert response.status_code == 200
    assert "kept only for a heart-to-heart talk" in response.content.decode()
    assert not Visit.objects.exists() and not ConfidentialNote.objects.exists()


def test_a_reader_who_cannot_open_the_talk_is_refused(client_for, cadre_a, team_a, sub_a):
    """A cadre of the team below works in cadre_a's scope (pickable) but sees only their own unit."""
    below = UserFactory(username="below")
    MembershipFactory(user=below, unit=sub_a)
    response = client_for(cadre_a).post(
        reverse("fieldwork:visit-create"),
        visit_post(team_a, **{"note-text": SECRET, "note-readers": [below.pk]}),
    )
    assert response.status_code == 200
    assert "could not open the talk" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_reader_outside_the_authors_reach_is_not_a_choice(client_for, cadre_a, team_a, cadre_b_other_team):
    response = client_for(cadre_a).post(
        reverse("fieldwork:visit-create"),
        visit_post(team_a, **{"note-text": SECRET, "note-readers": [cadre_b_other_team.pk]}),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_leader_editing_the_visit_neither_sees_nor_changes_the_notes(talk, client_for, leader_branch, team_a):
    client = client_for(leader_branch)
    form = client.get(reverse("fieldwork:visit-edit", args=[talk.pk])).content.decode()
    assert SECRET not in form and 'name="note-text"' not in form
    before = ConfidentialNote.objects.get().ciphertext
    response = client.post(
        reverse("fieldwork:visit-edit", args=[talk.pk]),
        visit_post(team_a, version=talk.version, **{"note-text": "overwritten"}),
    )
    assert response.status_code == 302
    note = ConfidentialNote.objects.get()
    assert note.ciphertext == before
    assert talk_services.note_text_for(visit=talk, user=note.author) == SECRET


def test_the_author_edits_the_notes_and_emptying_them_keeps_the_row(talk, client_for, cadre_a, team_a, secretary):
    client = client_for(cadre_a)
    form = client.get(reverse("fieldwork:visit-edit", args=[talk.pk])).content.decode()
    assert SECRET in form  # the author's own edit form holds the notes
    talk.refresh_from_db()
    response = client.post(
        reverse("fieldwork:visit-edit", args=[talk.pk]),
        visit_post(team_a, version=talk.version, **{"note-text": "", "note-readers": [secretary.pk]}),
    )
    assert response.status_code == 302
    assert ConfidentialNote.objects.count() == 1
    assert talk_services.note_text_for(visit=talk, user=cadre_a) == ""


def test_error_reports_do_not_carry_the_notes(client_for, cadre_a, team_a, monkeypatch):
    """A crash while saving: the report Django would mail hides the notes (sensitive_post_parameters)."""
    from fieldwork.views import visits as visit_views

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(visit_views, "_save_visit", broken)
    caught = []

    def keep(sender, request, **kwargs):
        caught.append(request)

    got_request_exception.connect(keep)
    try:
        client = client_for(cadre_a)
        client.raise_request_exception = False
        response = client.post(reverse("fieldwork:visit-create"), visit_post(team_a, **{"note-text": SECRET}))
    finally:
        got_request_exception.disconnect(keep)
    assert response.status_code == 500
    (request,) = caught
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["note-text"] != SECRET and set(shown["note-text"]) == {"*"}
    assert shown["summary"] == "They asked about the canteen hours."  # the rest stays readable
