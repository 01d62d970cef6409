"""Confidential notes in the admin: that a talk has notes, by whom and when, never what they say.

No field of the change form reads the ciphertext or decrypts it (not even for a superuser or the
author: the notes are read on the visit's page, by those named), and nothing can be searched in them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import ConfidentialNote
from .scoping import ReadOnlyAdmin, ScopedAdmin


@admin.register(ConfidentialNote)
class ConfidentialNoteAdmin(ReadOnlyAdmin, ScopedAdmin):
    scope_field = "visit__unit__path"
    list_display = ["visit", "author", "content", "created_at", "updated_at"]
    list_select_related = ["visit", "author"]
    fields = readonly_fields = ["visit", "author", "content", "created_at", "updated_at"]
    search_fields = []

    @admin.display(description=_("content"))
    def content(self, obj) -> str:
        return _("confidential")
