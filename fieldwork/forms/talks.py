"""The confidential notes of a heart-to-heart talk, entered beside the visit form (prefix "note").

A form of its own, not fields of VisitForm: only the notes' author ever gets it (a leader editing the
visit does not), and the visit's own fields, history and offline copy never hold the notes. The text
area is marked `data-never-offline`: the offline entry (static/fieldwork/offline.js) never stores it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .. import pickers, scope
from ..inputs import ModelMultipleChoiceField
from ..models import ConfidentialNote, Membership, Visit
from ..services import talks as talk_services
from .fields import FreeTextField
from .people import person_field_setup

User = get_user_model()

PREFIX = "note"
# The POST names that carry the notes: kept out of error reports (sensitive_post_parameters)
SENSITIVE = (f"{PREFIX}-text",)


def note_readers(user, params: Mapping[str, str]):
    """Whom an author may name as readers: people working in a unit the author sees or in a unit above
    one of the author's own (the unit's party secretary often sits above the workshop)."""
    paths = [path for path, _role in scope.memberships_of(user)]
    above = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    units = scope.visible_units(user).filter(active=True)
    return User.objects.filter(is_active=True).filter(
        Exists(Membership.objects.filter(Q(unit__in=units) | Q(unit__in=above, unit__active=True), user=OuterRef("pk")))
    )


pickers.register(pickers.Kind(name="note_reader", people=note_readers, hint=pickers.unit_hint))


class ConfidentialNoteForm(forms.Form):
    text = FreeTextField(
        label=_("Confidential notes"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "data-never-offline": ""}),
        help_text=_(
            "For a heart-to-heart talk only. Stored encrypted; only you and the people you name below can read them. "
            "Never kept on the phone for offline use."
        ),
    )
    readers = ModelMultipleChoiceField(label=_("Also readable by"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, visit: Visit | None = None, **kwargs):
        super().__init__(*args, prefix=PREFIX, **kwargs)
        self.user = user
        self.fields["readers"].queryset = (
            note_readers(user, {}).exclude(pk=user.pk).order_by("last_name", "first_name", "username")
        )
        self.fields["readers"].help_text = _("For example the unit's party secretary. Nobody else can read the notes.")
        if visit is not None and not self.is_bound:
            note = ConfidentialNote.objects.filter(visit=visit).first()
            if note is not None:
                self.initial["text"] = talk_services.note_text_for(visit=visit, user=user) or ""
                self.initial["readers"] = list(note.readers.values_list("pk", flat=True))
        person_field_setup(self, "readers", user=user, kind="note_reader")

    def check_for(self, *, form: str | None, unit) -> bool:
        """After is_valid(): the notes fit the visit as entered (a heart-to-heart talk; readers who can
        open it). Messages go beside the fields."""
        if not self.is_valid():
            return False
        text = self.cleaned_data.get("text") or ""
        readers = list(self.cleaned_data.get("readers") or [])
        if text and form and form != Visit.Form.HEART_TO_HEART:
            self.add_error("text", _("Confidential notes are kept only for a heart-to-heart talk."))
        if readers and unit is not None:
            for message in talk_services.reader_refusals(unit=unit, readers=readers):
                self.add_error("readers", message)
        return not self.errors

    def save_for(self, *, visit: Visit, by) -> None:
        data = self.cleaned_data
        text, readers = data.get("text") or "", list(data.get("readers") or [])
        if visit.form != Visit.Form.HEART_TO_HEART:
            return
        talk_services.note_save(visit=visit, by=by, text=text, readers=readers)


def note_form_for(data, *, user, visit: Visit | None) -> ConfidentialNoteForm | None:
    """The notes form for this user on this visit (None: they may not write its notes)."""
    if visit is not None and not talk_services.note_may_write(visit=visit, user=user):
        return None
    return ConfidentialNoteForm(data, user=user, visit=visit)
