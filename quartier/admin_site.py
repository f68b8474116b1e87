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

    def index(self, request, extra_context=None):
        """The index is titled with the Jobcenter one works in now."""
        jobcenter = getattr(request, "jobcenter", None)
        if jobcenter is not None:
            extra_context = {"title": jobcenter.name, **(extra_context or {})}
        return super().index(request, extra_context)


class QuartierAdminConfig(AdminConfig):
    """Django's admin with QuartierAdminSite as ``admin.site``."""

    default_site = "quartier.admin_site.QuartierAdminSite"
