"""A short-lived cache for public pages and feeds.

Public pages look the same for every visitor (no cookies, no CSRF token), so
an anonymous GET can be answered from the cache for a minute. Logged-in staff
always get a fresh page (they may preview drafts), and nothing they see is
ever stored. ConditionalGetMiddleware adds the ETag, so browsers and calendar
apps revalidate with 304s; a cached page carries its ETag, so it is hashed once
when built rather than on every hit.

Invalidation works across app servers: every page is stored with a
*generation* number that itself lives in the cache, and is served only while
that number is current. A change to anything the public pages
show (an event published or edited, a location renamed, a review written)
raises the generation once the transaction commits, so every worker on every
server builds its pages afresh from then on, and the old entries are replaced.
Nothing is remembered per process: with a shared cache (Redis) a change made
through one server is seen by all of them on their next request.
"""

import time
from functools import partial, wraps
from hashlib import sha256
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import get_language

GENERATION_KEY = "public-page-generation"


def generation() -> int:
    """The current generation of the public pages, shared through the cache."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Started from the clock, so a generation that was evicted or lost with
        # a cache restart never comes back to a number already used.
        cache.add(GENERATION_KEY, time.time_ns() // 1_000, None)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate_public_pages() -> None:
    """Make every server build its public pages afresh (raise the generation)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (yet, or evicted): start a new one
        cache.add(GENERATION_KEY, time.time_ns() // 1_000, None)


def invalidate_on_commit(**kwargs) -> None:
    """Signal receiver: invalidate once the change is visible to other servers.

    Connected in ``EventsConfig.ready`` to every save and delete of the models
    the public pages show. Staff edit them in the admin, which saves models
    directly, so the model signals are the one place every change passes
    through. Raised only after the commit: a page built from the old rows by
    another server in the meantime is stored under the old generation.
    """
    if kwargs.get("raw"):  # loaddata
        return
    transaction.on_commit(invalidate_public_pages)


def cache_key(request, query: tuple[str, ...] = ()) -> str:
    """The Jobcenter, the language, the path and only the parameters read.

    Any other parameter (``/kalender.ics?x=1``, ``?x=2``…) gets the same
    entry, so random query strings can neither fill the cache nor make the
    server build an expensive page again and again.
    """
    params = sorted(
        (name, value) for name in query for value in request.GET.getlist(name)
    )
    # Each Jobcenter has its own pages under the same paths.
    jobcenter = getattr(request, "jobcenter", None)
    owner = jobcenter.pk if jobcenter is not None else ""
    raw = f"{owner}|{get_language()}|{request.path}|{urlencode(params)}"
    return "public-page:" + sha256(raw.encode()).hexdigest()


def cached_page(key: str):
    """The page stored under key if it is of the current generation, and that.

    The page is stored with the generation it was built in, so one round trip
    to the cache (the generation and the page together) answers a hit.
    """
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        return None, generation()
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        return stored[1], current
    return None, current


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
        response, built_in = cached_page(key)
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
            # Built from rows read after the generation was: a change committed
            # meanwhile raised it, so this page is never served as current.
            cache.set(key, (built_in, response), timeout)
        return response

    return wrapped
