"""The photo input of the visit form, the follow-up action form and the concern's steps.

Always the same field, named `photos` without a prefix (static/fieldwork/photos.js and the offline
queue look for that name), sent in a plain multipart POST. Each file is checked and re-encoded here
(services.photos.photo_prepare); one bad file refuses the whole form, with a message beside the field.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..services.photos import PhotoRefused, photo_prepare

FIELD = "photos"


class PhotoForm(forms.Form):
    """`room`: how many photos the record may still take (services.photos.photo_room)."""

    photos = forms.Field(required=False, label=gettext_lazy("Photos"))

    def __init__(self, data=None, files=None, *, room: int | None = None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.room = settings.FIELDWORK_PHOTO_MAX_COUNT if room is None else room
        self.sent = files.getlist(FIELD) if files is not None else []

    @property
    def help_text(self) -> str:
        return _("Up to %(count)s photos, each at most %(size)s (JPEG, PNG or WebP).") % {
            "count": self.room,
            "size": filesizeformat(settings.FIELDWORK_PHOTO_MAX_BYTES),
        }

    def clean_photos(self):
        uploads = [upload for upload in self.sent if upload.name or upload.size]
        if len(uploads) > self.room:
            raise forms.ValidationError(
                ngettext(
                    "At most %(count)d more photo can be added here; %(sent)d were chosen.",
                    "At most %(count)d more photos can be added here; %(sent)d were chosen.",
                    self.room,
                )
                % {"count": self.room, "sent": len(uploads)}
            )
        prepared, errors = [], []
        for upload in uploads:
            try:
                prepared.append(photo_prepare(upload))
            except PhotoRefused as refused:
                errors.append(str(refused))
        if errors:
            raise forms.ValidationError([*errors, _("Nothing was saved: choose the photos again.")])
        return prepared

    def lost_on_return(self) -> bool:
        """Files were sent with a form that comes back to be corrected: a browser cannot keep them."""
        return bool(self.sent) and not (self._errors or {}).get(FIELD)


def photo_form(request, *, room: int | None = None) -> PhotoForm:
    if request.method == "POST":
        return PhotoForm(request.POST, request.FILES, room=room)
    return PhotoForm(room=room)
