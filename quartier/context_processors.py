from django.conf import settings

from quartier.brand import brand_version, logo_url


def site(request):
    """Site-wide values every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "SITE_LOGO_URL": logo_url(),
        "BRAND_VERSION": brand_version(),
    }
