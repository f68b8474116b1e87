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

Every Jobcenter has its own pages and its own generation
(``public-page-generation:<id>``): the same path on two hosts is stored
apart, and a change to one Jobcenter's rows leaves the others' pages valid.

The key holds only the parameters a view declares, without empty values,
sorted by name (``?bezirk=&angebot=x`` and ``?angebot=x`` are one entry).
The view itself is shown exactly that normalised query (``request.GET`` and
the query string of ``get_full_path``), so a page is a function of its key:
addresses that share an entry render the same bytes, cache or no cache.

A hit is usually answered before the view is reached, by
``quartier.fastcache.EarlyPageCacheMiddleware``, which reads the declared
parameters from the wrapper (``public_cache_query``). A miss of an
anonymous visitor spends one build of the client's budget
(``events.budget``): a loop of random addresses gets 429s, not the CPU.
"""

import time
from functools import partial, wraps
from hashlib import sha256
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import get_language

from events import budget
from jobcenters.scoping import current_jobcenter_id

GENERATION_KEY = "public-page-generation"


def generation_key(jobcenter_id: int | None = None) -> str:
    """Where the generation of a Jobcenter's pages (default: the scope's) is kept."""
    if jobcenter_id is None:
        jobcenter_id = current_jobcenter_id()
    return f"{GENERATION_KEY}:{jobcenter_id or 0}"


def generation(jobcenter_id: int | None = None) -> int:
    """The current generation of a Jobcenter's public pages (default: the scope's)."""
    key = generation_key(jobcenter_id)
    value = cache.get(key)
    if value is None:
        # Started from the clock, so a generation that was evicted or lost with
        # a cache restart never comes back to a number already used.
        cache.add(key, time.time_ns() // 1_000, None)
        value = cache.get(key)
    return value


def invalidate_public_pages(jobcenter_id: int | None = None) -> None:
    """Make every server build a Jobcenter's public pages afresh.

    Raises the generation of that Jobcenter (default: the active scope's; of
    every Jobcenter outside any scope).
    """
    if jobcenter_id is None:
        jobcenter_id = current_jobcenter_id()
    if jobcenter_id is None:
        from jobcenters.models import Jobcenter

        ids = list(Jobcenter.objects.values_list("pk", flat=True)) or [0]
    else:
        ids = [jobcenter_id]
    for pk in ids:
        key = generation_key(pk)
        try:
            cache.incr(key)
        except ValueError:  # not there (yet, or evicted): start a new one
            cache.add(key, time.time_ns() // 1_000, None)


def invalidate_after_commit(jobcenter_id: int | None = None) -> None:
    """Invalidate a Jobcenter's pages (default: the scope's) once committed."""
    if jobcenter_id is None:
        jobcenter_id = current_jobcenter_id()
    transaction.on_commit(partial(invalidate_public_pages, jobcenter_id))


def jobcenter_of(instance) -> int | None:
    """The Jobcenter whose pages show a row: its own, else its owner's.

    A translation row belongs to its master, a quote to its review; a Host to
    its Jobcenter, a Jobcenter to itself. None: not known (every Jobcenter).
    """
    from jobcenters.models import Jobcenter

    if isinstance(instance, Jobcenter):
        return instance.pk
    owner = getattr(instance, "jobcenter_id", None)
    if owner is not None:
        return owner
    for field in instance._meta.concrete_fields:
        related = field.related_model if field.many_to_one or field.one_to_one else None
        if related is None or not any(
            f.name == "jobcenter" for f in related._meta.concrete_fields
        ):
            continue
        if field.is_cached(instance):
            parent = field.get_cached_value(instance)
            if parent is not None:
                return parent.jobcenter_id
        related_id = getattr(instance, field.attname)
        if related_id is not None:
            return (
                related._base_manager.filter(pk=related_id)
                .values_list("jobcenter_id", flat=True)
                .first()
            )
    return None


def invalidate_on_commit(instance=None, **kwargs) -> None:
    """Signal receiver: invalidate once the change is visible to other servers.

    Connected in ``EventsConfig.ready`` to every save and delete of the models
    the public pages show. Staff edit them in the admin, which saves models
    directly, so the model signals are the one place every change passes
    through. Raised only after the commit: a page built from the old rows by
    another server in the meantime is stored under the old generation. Only
    the changed row's Jobcenter is invalidated (for a many-to-many change:
    the Jobcenter of the row whose relation changed).
    """
    if kwargs.get("raw"):  # loaddata
        return
    owner = jobcenter_of(instance) if instance is not None else None
    invalidate_after_commit(owner)


def _jobcenter_id(request) -> int | None:
    jobcenter = getattr(request, "jobcenter", None)
    return jobcenter.pk if jobcenter is not None else current_jobcenter_id()


def normalised_query(
    data, query: tuple[str, ...], keep_empty: bool = False
) -> list[tuple[str, str]]:
    """The declared parameters' non-empty values: names sorted, values in order.

    The order of one name's values is kept, since a form reads the last one.
    With ``keep_empty`` an empty value stays (an API refuses ``seite=``, where
    a page's form sends empty fields for "all").
    """
    return [
        (name, value)
        for name in sorted(query)
        for value in data.getlist(name)
        if value or keep_empty
    ]


def normalise_request(
    request, query: tuple[str, ...], keep_empty: bool = False
) -> None:
    """Show the view only the query its cache key holds (see the module's doc)."""
    canonical = urlencode(normalised_query(request.GET, query, keep_empty))
    if request.META.get("QUERY_STRING", "") != canonical:
        request.META["QUERY_STRING"] = canonical
        request.GET = QueryDict(canonical)


def cache_key(request, query: tuple[str, ...] = (), keep_empty: bool = False) -> str:
    """The Jobcenter, the language, the path and only the parameters read.

    Any other parameter (``/kalender.ics?x=1``, ``?x=2``…) gets the same
    entry, so random query strings can neither fill the cache nor make the
    server build an expensive page again and again. The same path on two
    Jobcenters' hosts is two entries.
    """
    # No query string, no parameters: a hit on a plain address skips parsing.
    has_query = query and request.META.get("QUERY_STRING")
    params = normalised_query(request.GET, query, keep_empty) if has_query else []
    jobcenter_id = _jobcenter_id(request) or 0
    raw = f"{jobcenter_id}|{get_language()}|{request.path}|{urlencode(params)}"
    return "public-page:" + sha256(raw.encode()).hexdigest()


def cached_page(key: str, jobcenter_id: int | None = None):
    """The page stored under key if it is of the current generation, and that.

    The page is stored with the generation it was built in, so one round trip
    to the cache (the generation and the page together) answers a hit.
    """
    current_key = generation_key(jobcenter_id)
    found = cache.get_many([current_key, key])
    current = found.get(current_key)
    if current is None:
        return None, generation(jobcenter_id)
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        return stored[1], current
    return None, current


def public_cache(view=None, *, query: tuple[str, ...] = (), keep_empty: bool = False):
    """Serve anonymous GET and HEAD requests from the cache (PUBLIC_CACHE_SECONDS).

    ``query`` names the GET parameters the view reads; all others (and, unless
    ``keep_empty``, empty values) are dropped before the view sees the request. Use as ``@public_cache`` or
    ``@public_cache(query=(...))``. Must be the outermost decorator: the
    early middleware answers only for a view that is this wrapper itself.
    """
    if view is None:
        return partial(public_cache, query=query, keep_empty=keep_empty)
    query = tuple(query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        normalise_request(request, query, keep_empty)
        timeout = settings.PUBLIC_CACHE_SECONDS
        if not timeout or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = cache_key(request, query, keep_empty)
        response, built_in = cached_page(key, _jobcenter_id(request))
        if response is not None:
            return response
        refused = budget.refusal(request)
        if refused is not None:
            return refused
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

    # Read by quartier.fastcache; copied by functools.wraps onto any outer
    # decorator too, hence the wrapper itself as the mark.
    wrapped.public_cache_query = query
    wrapped.public_cache_keep_empty = keep_empty
    wrapped.public_cache_wrapper = wrapped
    return wrapped
