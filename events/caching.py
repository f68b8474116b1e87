"""A short-lived cache for public pages and feeds.

Public pages look the same for every visitor (no cookies, no CSRF token), so
an anonymous GET can be answered from the cache for a minute. Logged-in staff
always get a fresh page (they may preview drafts), and nothing they see is
ever stored. ConditionalGetMiddleware adds the ETag, so browsers and calendar
apps revalidate with 304s; a cached page carries its ETag, so it is hashed once
when built rather than on every hit.
"""

from functools import partial, wraps
from hashlib import sha256
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import get_language


def cache_key(request, query: tuple[str, ...] = ()) -> str:
    """The language, the path and only the parameters the page reads.

    Any other parameter (``/kalender.ics?x=1``, ``?x=2``…) gets the same
    entry, so random query strings can neither fill the cache nor make the
    server build an expensive page again and again.
    """
    params = sorted(
        (name, value) for name in query for value in request.GET.getlist(name)
    )
    raw = f"{get_language()}|{request.path}|{urlencode(params)}"
    return "public-page:" + sha256(raw.encode()).hexdigest()


def public_cache(view=None, *, query: tuple[str, ...] = ()):
    """Serve anonymous GET and HEAD requests from the cache (PUBLIC_CACHE_SECONDS).

    ``query`` names the GET parameters the view reads; all others are ignored
    for the cache. Use as ``@public_cache`` or ``@public_cache(query=(...))``.
    """
    if view is None:
        return partial(public_cache, query=query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        timeout = settings.PUBLIC_CACHE_SECONDS
        if (
            not timeout
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        key = cache_key(request, query)
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
            if not response.has_header("ETag"):
                set_response_etag(response)
            cache.set(key, response, timeout)
        return response

    return wrapped
