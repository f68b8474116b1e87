"""Who works where: memberships in the admin, for the operator (superusers) only.

The user admin keeps what other apps gave it (audit's history view) and gains
an inline of the user's Jobcenters and roles; a list of all memberships can be
filtered by Jobcenter and role. Staff never see either: a coordinator of one
Jobcenter must not hand out roles, in theirs or another's.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from jobcenters.models import Membership

if apps.is_installed("audit"):
    # audit replaces the user admin (with its history view): extend that one.
    import audit.admin  # noqa: F401

User = get_user_model()


class OperatorOnly:
    """Visible and editable for superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class MembershipInline(OperatorOnly, admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ["jobcenter", "role"]
    extra = 0
    verbose_name = _("works for")
    verbose_name_plural = _("Jobcenters and roles")


@admin.register(Membership)
class MembershipAdmin(OperatorOnly, admin.ModelAdmin):
    list_display = ["user", "jobcenter", "role"]
    list_filter = ["jobcenter", "role"]
    list_select_related = ["user", "jobcenter"]
    search_fields = ["user__username", "user__email", "jobcenter__name"]
    autocomplete_fields = ["user"]
    ordering = ["jobcenter__name", "user__username"]


def _with_memberships(base: type) -> type:
    """The registered user admin, with the memberships inline added once."""
    if MembershipInline in base.inlines:
        return base
    return type(
        base.__name__,
        (base,),
        {
            "__module__": __name__,
            "inlines": [*base.inlines, MembershipInline],
        },
    )


_registered = admin.site._registry.get(User)
_base = type(_registered) if _registered is not None else UserAdmin
if _registered is not None:
    admin.site.unregister(User)
admin.site.register(User, _with_memberships(_base))
