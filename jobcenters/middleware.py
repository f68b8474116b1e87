"""Every request runs in the scope of one Jobcenter, found by its host name."""

from django.http import Http404
from django.template.response import TemplateResponse

from jobcenters.hosts import jobcenter_for_host
from jobcenters.scoping import jobcenter_scope

# Answered for the load balancer on any host, without a Jobcenter.
UNSCOPED_PATHS = ("/healthz", "/readyz")


class JobcenterMiddleware:
    """Sets ``request.jobcenter`` and scopes every query to it.

    An unknown host gets a plain 404, or the list of the installation's
    Jobcenters when JOBCENTER_DIRECTORY is on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in UNSCOPED_PATHS:
            request.jobcenter = None
            return self.get_response(request)
        jobcenter = jobcenter_for_host(request.get_host())
        if jobcenter is None:
            return unknown_host(request)
        request.jobcenter = jobcenter
        with jobcenter_scope(jobcenter):
            return self.get_response(request)


def unknown_host(request):
    from django.conf import settings

    from jobcenters.hosts import site_url
    from jobcenters.models import Jobcenter

    if not settings.JOBCENTER_DIRECTORY:
        raise Http404("No Jobcenter is served under this host name.")
    jobcenters = [
        {"name": jobcenter.name, "url": site_url(jobcenter) + "/"}
        for jobcenter in Jobcenter.objects.prefetch_related("hosts")
        if jobcenter.hosts.all()
    ]
    return TemplateResponse(
        request, "jobcenters/directory.html", {"jobcenters": jobcenters}, status=404
    )


class StaffJobcenterMiddleware:
    """In the staff areas, work in the Jobcenter the user chose (see jobcenters.staff).

    After authentication: for a logged-in user on /admin/, /team/ or
    /auswertung/ the session's choice among the user's Jobcenters replaces the
    host's, as ``request.jobcenter`` and as the scope of every query. Public
    pages keep the host's Jobcenter. On /team/ and /auswertung/ a user who does
    not work for the Jobcenter gets 403 (the admin refuses through its
    ``has_permission``). ``request.staff_jobcenters`` lists the Jobcenters the
    user may switch to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.core.exceptions import PermissionDenied

        from jobcenters import staff

        host_jobcenter = getattr(request, "jobcenter", None)
        if (
            host_jobcenter is None
            or not staff.is_staff_path(request.path_info)
            or not request.user.is_authenticated
        ):
            return self.get_response(request)
        available = staff.jobcenters_for(request.user)
        request.host_jobcenter = host_jobcenter
        request.staff_jobcenters = available
        request.staff_landing = staff.landing_path(request.path_info)
        request.jobcenter = staff.working_jobcenter(request, host_jobcenter, available)
        request.staff_member = staff.is_member(request)
        if staff.is_staff_page(request.path_info) and not request.staff_member:
            raise PermissionDenied
        with jobcenter_scope(request.jobcenter):
            return self.get_response(request)
