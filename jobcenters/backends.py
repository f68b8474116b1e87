"""Roles per Jobcenter: permissions come from the role held where one works now."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q

from jobcenters.models import ROLE_GROUPS, Membership
from jobcenters.scoping import current_jobcenter_id


class JobcenterRoleBackend(ModelBackend):
    """Django's model backend, with group permissions per Jobcenter.

    A user's role in the Jobcenter of the active scope names a group
    (Mitarbeitende, Koordination) whose permissions they get; the same person
    may coordinate one Jobcenter and only help out in another. Groups a user
    is put into directly give nothing: roles are held per Jobcenter. Direct
    user permissions still apply, as in Django.
    """

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        jobcenter_id = current_jobcenter_id()
        cache = user_obj.__dict__.setdefault("_jobcenter_perm_cache", {})
        if jobcenter_id not in cache:
            cache[jobcenter_id] = self._role_permissions(user_obj, jobcenter_id)
        return cache[jobcenter_id]

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        return {
            *self.get_user_permissions(user_obj, obj),
            *self.get_group_permissions(user_obj, obj),
        }

    @staticmethod
    def _role_permissions(user_obj, jobcenter_id) -> set[str]:
        """One query: the permissions of the groups the user's roles here name."""
        if jobcenter_id is None:
            return set()
        held = Q()
        for role, group in ROLE_GROUPS.items():
            held |= Q(group__name=group) & Exists(
                Membership.objects.filter(
                    user=user_obj, jobcenter_id=jobcenter_id, role=role
                )
            )
        permissions = Permission.objects.filter(held)
        return {
            f"{app}.{codename}"
            for app, codename in permissions.values_list(
                "content_type__app_label", "codename"
            )
            .distinct()
            .order_by()
        }
