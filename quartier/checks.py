"""System checks for the operator's settings that no form would catch.

The brand: BRAND_COLOR must read against white, SITE_LOGO must stay on this
site.

Several app servers (or workers) must share what must be shared. The app keeps
no state of its own: PostgreSQL holds the data, the cache holds the public
pages, their invalidation and the feedback rate limit, and the media storage
holds the uploads. A cache that lives in one process breaks this as soon as
there is a second worker: each worker counts its own rate limit and keeps its
own stale pages. ``manage.py check --deploy`` warns about it, and
``quartier/gunicorn.py`` refuses to start more than one worker with it.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.checks import Error, register

from quartier.brand import MIN_CONTRAST, WHITE, contrast_ratio, is_hex_color


@register()
def check_brand(app_configs, **kwargs) -> list[Error]:
    """BRAND_COLOR is #rrggbb and reads against white; SITE_LOGO stays on this site."""
    errors = []
    color = settings.BRAND_COLOR
    if not is_hex_color(color):
        errors.append(
            Error(
                f"BRAND_COLOR must be a colour written as #rrggbb, not {color!r}.",
                hint="For example BRAND_COLOR=#0b5394.",
                id="quartier.E001",
            )
        )
    else:
        ratio = contrast_ratio(color, WHITE)
        if ratio < MIN_CONTRAST:
            errors.append(
                Error(
                    f"BRAND_COLOR {color} has a contrast of {ratio:.2f}:1 with "
                    f"white; white text on it and links in it on white need at "
                    f"least {MIN_CONTRAST}:1 (WCAG 2.1, 1.4.3).",
                    hint="Choose a darker shade of the colour.",
                    id="quartier.E002",
                )
            )
    logo = settings.SITE_LOGO
    if "://" in logo or logo.startswith("//"):
        errors.append(
            Error(
                f"SITE_LOGO must be a static file or a path on this site, not {logo!r}.",
                hint=(
                    "Pages request nothing from other hosts (privacy, and the "
                    "Content-Security-Policy would block it): put the file in "
                    "static/ or under MEDIA_ROOT and give its path."
                ),
                id="quartier.E003",
            )
        )
    elif not logo.startswith("/") and not finders.find(logo):
        # With hashed static names a missing file breaks every page.
        errors.append(
            Error(
                f"SITE_LOGO {logo!r} is not a static file.",
                hint=(
                    "Put the file under static/ (e.g. static/img/logo.svg and "
                    "SITE_LOGO=img/logo.svg), or give a path on this site "
                    "starting with /."
                ),
                id="quartier.E004",
            )
        )
    return errors


# Caches that each process (or each machine) keeps for itself.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}

NOT_SHARED = (
    "The cache is not shared (CACHE_URL is not set): with more than one "
    "gunicorn worker or app server, each process keeps its own public pages "
    "(edits show late) and counts its own feedback rate limit."
)
SET_CACHE_URL = "Set CACHE_URL=redis://host:6379/0 (see docs/deployment.md)."


def cache_is_shared() -> bool:
    """Whether the default cache is one all processes and servers see."""
    return settings.CACHES["default"]["BACKEND"] not in LOCAL_CACHES


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    if settings.DEBUG or cache_is_shared():
        return []
    return [checks.Warning(NOT_SHARED, hint=SET_CACHE_URL, id="quartier.W001")]
