from django.conf import settings


def site(request):
    """Site-wide values every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
    }
