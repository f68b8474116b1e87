"""A short-lived cache for public pages and feeds.

Public pages look the same for every visitor (no cookies, no CSRF token), so
an anonymous GET can be answered from the cache for a minute. Logged-in staff
always get a fresh page (they may preview drafts), and nothing they see is
ever stored. ConditionalGetMiddleware adds the ETag, so browsers and calendar
apps revalidate with 304s.
"""

from functools import wraps
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language


def cache_key(request) -> str:
    raw = f"{get_language()}|{request.get_full_path()}"
    return "public-page:" + sha256(raw.encode()).hexdigest()


def public_cache(view):
    """Serve anonymous GET and HEAD requests from the cache (PUBLIC_CACHE_SECONDS)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        timeout = settings.PUBLIC_CACHE_SECONDS
        if (
            not timeout
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        key = cache_key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        patch_cache_control(response, public=True, max_age=timeout)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(key, response, timeout)
        return response

    return wrapped
