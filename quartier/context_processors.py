from django.conf import settings

from quartier.brand import brand_version, logo_url


def site(request):
    """Site-wide values every template may show: the Jobcenter's among them."""
    jobcenter = getattr(request, "jobcenter", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "JOBCENTER": jobcenter,
        "ORGANISATION_NAME": jobcenter.name
        if jobcenter
        else settings.ORGANISATION_NAME,
        "SITE_LOGO_URL": logo_url(jobcenter),
        "BRAND_VERSION": brand_version(jobcenter),
    }
