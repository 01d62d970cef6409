"""Units, memberships and user accounts in the admin, scoped like the app: staff manage the units of
their memberships and the people who work in them, and grant nothing beyond that — no membership in
another unit, no superuser status, no permission they do not hold themselves. Groups and sign-in
records reach every unit: superusers only."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import scope
from ..models import Membership, Unit
from .domain import UnitDeactivationForm
from .scoping import ScopedAdmin, ScopedInline, SuperuserOnlyAdmin

User = get_user_model()


class MembershipInline(ScopedInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    scope_field = "path"
    form = UnitDeactivationForm  # warns before deactivating a unit with active units under it
    list_display = ["indented_name", "code", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "receiver"]
    readonly_fields = ["path", "depth"]
    inlines = [MembershipInline]
    list_per_page = 100

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return format_html("{}{}", "\u2003" * obj.depth, obj.name)  # em spaces: no inline style under the CSP

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        keeps_a_parent = obj is None or obj.parent_id is not None  # a root they may see stays a root
        if not request.user.is_superuser and keeps_a_parent and "parent" in form.base_fields:
            form.base_fields["parent"].required = True  # a new tree would lie outside their own units
        return form


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class UserMembershipInline(ScopedInline):
    """A person's memberships in the staff user's units; staff add a person with one, so that the
    person is in their scope from the start."""

    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]

    def get_formset(self, request, obj=None, **kwargs):
        needs_one = obj is None and not request.user.is_superuser
        kwargs.update(min_num=1 if needs_one else 0, validate_min=needs_one)
        return super().get_formset(request, obj, **kwargs)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    inlines = [UserMembershipInline]

    def scope_queryset(self, request, queryset):
        """People with a membership in the user's units; never a superuser."""
        if request.user.is_superuser:
            return queryset
        paths = [path for path, _role in scope.memberships_of(request.user)]
        members = Membership.objects.filter(scope.subtree_q(paths, field="unit__path")).values("user_id")
        return queryset.filter(pk__in=members, is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "user_permissions" and not request.user.is_superuser:
            own = Q(user=request.user) | Q(group__user=request.user)
            kwargs["queryset"] = Permission.objects.filter(pk__in=Permission.objects.filter(own).values("pk"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdmin, DjangoGroupAdmin):
    pass


for model, model_admin in [
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (SuperuserOnlyAdmin, model_admin), {}))
