"""The admin site: only for staff who work for the Jobcenter they work in now."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class QuartierAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        """Active staff with a membership in the request's Jobcenter, or superusers.

        The request's Jobcenter is the host's, or the one chosen in the
        switcher (jobcenters.middleware.StaffJobcenterMiddleware). Anyone else
        sees the login page's "not authorised" note, never this Jobcenter's data.
        """
        from jobcenters import staff

        return super().has_permission(request) and staff.is_member(request)


class QuartierAdminConfig(AdminConfig):
    """Django's admin with QuartierAdminSite as ``admin.site``."""

    default_site = "quartier.admin_site.QuartierAdminSite"
