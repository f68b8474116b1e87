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
