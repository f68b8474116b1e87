"""Checks that several app servers (or workers) share what must be shared.

The app keeps no state of its own: PostgreSQL holds the data, the cache holds
the public pages, their invalidation and the feedback rate limit, and the media
storage holds the uploads. A cache that lives in one process breaks this as
soon as there is a second worker: each worker counts its own rate limit and
keeps its own stale pages. ``manage.py check --deploy`` warns about it, and
``quartier/gunicorn.py`` refuses to start more than one worker with it.
"""

from django.conf import settings
from django.core import checks

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
