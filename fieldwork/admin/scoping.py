"""What every admin page of Fieldwork shares: the app's unit scope, read-only domain records, and
superuser-only pages.

Staff see in the admin what they see in the app (scope.py): the units of their memberships and what
lies in them; anything else is a 404 on every admin view (change, history, delete, old versions) and
is absent from change lists, choices and autocomplete. Superusers see everything.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .. import scope


def _paths(request) -> list[str]:
    return [path for path, _role in scope.memberships_of(request.user)]


class ScopedAdmin(admin.ModelAdmin):
    """Objects whose unit lies in the staff user's scope; `scope_field` names the unit's path."""

    scope_field = "unit__path"

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(scope.subtree_q(_paths(request), field=self.scope_field))

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        """Out of scope (or no such object): a 404 on every view, never the admin's redirect."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record in your units."))
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(self.admin_site, db_field.related_model, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(self.admin_site, db_field.related_model, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def scoped_choices(admin_site, model, request):
    """The choices of a field pointing at `model`: what that model's admin shows this user."""
    model_admin = admin_site._registry.get(model)
    if isinstance(model_admin, ScopedAdmin):
        return model_admin.get_queryset(request)
    return model._default_manager.all()


class ScopedInline(admin.TabularInline):
    """An inline listing only the rows in the staff user's scope, with choices in scope."""

    scope_field = "unit__path"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(scope.subtree_q(_paths(request), field=self.scope_field))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(self.admin_site, db_field.related_model, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(SimpleHistoryAdmin):
    """With a History page (django-simple-history) shown only for a record this user may see, and old
    versions that can be looked at but never put back from here: a revert would skip the rules the
    services keep (versions, events, rollups)."""

    def _visible_or_404(self, request, object_id) -> None:
        if self.get_object(request, unquote(object_id)) is None:  # simple_history would fall back to the history
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ScopedHistoryAdmin(ScopedAdmin, HistoryAdmin):
    """Scoped, with the History page."""


class ReadOnlyAdmin(admin.ModelAdmin):
    """A domain record: shown here, changed only in the app through its services (versioned, with
    its event on the timeline). Nothing is added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Records tied to no unit that tell of every unit (sign-in attempts, groups of rights): for
    superusers only. Others get a 403 on the lists and a 404 on every record."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj
