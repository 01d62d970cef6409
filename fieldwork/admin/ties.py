"""Contact points (联系点) in the admin: assigned and ended through the services, with the same rules as
the unit's page (a leader of the unit, a cadre of the leader's units, a reason to end) shown beside
the form; scoped like the app, never deleted, with their history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone

from ..models import ContactPoint
from ..services import contact_points as services
from .scoping import ScopedHistoryAdmin


class ContactPointAdminForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["cadre", "unit", "start", "end", "interval_days", "end_reason"]

    user = None  # set by the admin: who is asking

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.instance.pk is None:
            refusal = services.assign_refusal(
                by=self.user, cadre=data["cadre"], unit=data["unit"], start=data["start"], end=data.get("end")
            )
        elif {"end", "end_reason"} & set(self.changed_data):
            refusal = services.end_refusal(
                point=ContactPoint.objects.get(pk=self.instance.pk),
                by=self.user,
                reason=data.get("end_reason") or "",
                end=data.get("end") or timezone.localdate(),
            )
        else:
            refusal = None
        if refusal:
            raise forms.ValidationError(refusal)
        return data


@admin.register(ContactPoint)
class ContactPointAdmin(ScopedHistoryAdmin):
    form = ContactPointAdminForm
    list_display = ["unit", "cadre", "start", "end", "interval_days", "last_visit_date", "due_date"]
    search_fields = ["unit__name", "cadre__username", "cadre__last_name", "cadre__first_name"]
    autocomplete_fields = ["cadre", "unit"]
    readonly_fields = ["assigned_by", "ended_by", "last_visit_date", "due_date"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return [*self.readonly_fields, "end_reason"]
        # an assigned contact point changes only by ending it (a date and a reason): the rest is its record
        locked = ["cadre", "unit", "start", "interval_days"]
        if obj.ended_by_id:
            locked += ["end", "end_reason"]
        return [*self.readonly_fields, *locked]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Through the services (the form has asked their rules already)."""
        data = form.cleaned_data
        if not change:
            saved = services.contact_point_assign(
                by=request.user,
                cadre=data["cadre"],
                unit=data["unit"],
                start=data["start"],
                end=data.get("end"),
                interval_days=data.get("interval_days"),
            )
            obj.pk, obj.id = saved.pk, saved.pk
        elif {"end", "end_reason"} & set(form.changed_data):
            services.contact_point_end(
                point=obj, by=request.user, reason=data.get("end_reason") or "", end=data.get("end")
            )

    def save_related(self, request, form, formsets, change):
        """No relations to save beside the services' own writes."""
