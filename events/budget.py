"""A per-client budget for building public pages that are not in the cache.

A page from the cache costs almost nothing; building one costs tens of
milliseconds. A client looping over random filter addresses would make every
request a build and take the CPU from everyone else. So each client may build
PUBLIC_BUILD_BUDGET pages per PUBLIC_BUILD_WINDOW_SECONDS; past that it gets a
429 with ``Retry-After`` (the seconds until its window ends) and a short page.
Cache hits never count, so ordinary visitors and crawlers that wait as told
still get every page.

The counter is a fixed window in the cache shared by all workers
(``cache.add`` then ``cache.incr``, atomic on Redis), under a keyed hash of the
client address: no address is stored. The address is the one the feedback
limit and the login lock-out see (``feedback.ratelimit.client_address``,
CLIENT_IP_HEADER behind a proxy). Off when PUBLIC_BUILD_BUDGET is 0; counted
only while the page cache is on (without it there is no miss to ration).
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import (
    get_language,
    get_language_bidi,
    get_language_from_path,
    override,
)

KEY_PREFIX = "public-build-budget"
# Per worker process: the clients it refused, and when their window ends. A
# client that goes on asking for pages not in the cache is refused from here,
# without counting again in the shared cache (stored pages it still gets:
# many people may share one address, a school's or an advice centre's).
_TOLD_TO_WAIT: dict[str, float] = {}
MAX_REMEMBERED = 10_000


def clock() -> float:
    """Now, in seconds (a function, so tests can move time forward)."""
    return time.time()


def cache_key(address: str, window: int, now: float) -> str:
    digest = salted_hmac(KEY_PREFIX, address).hexdigest()[:32]
    return f"{KEY_PREFIX}:{digest}:{int(now // window)}"


def spend(address: str) -> int | None:
    """Count one build for address: None if allowed, else seconds to wait."""
    limit = settings.PUBLIC_BUILD_BUDGET
    if limit <= 0:
        return None
    window = max(1, settings.PUBLIC_BUILD_WINDOW_SECONDS)
    now = clock()
    key = cache_key(address, window, now)
    # Kept a little past its window: a late incr must not start a new count.
    cache.add(key, 0, window + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window + 5)
        used = 1
    if used <= limit:
        return None
    return max(1, math.ceil((now // window + 1) * window - now))


def refusal(request):
    """A 429 response if the request's client used up its builds, else None.

    Counted once per request: the early middleware (quartier.fastcache) asks
    on a miss, before sessions and authentication run, so a client past its
    budget costs a cache read and this short page; the view's wrapper does
    not ask again.
    """
    from feedback.ratelimit import client_address

    if getattr(request, "build_budget_spent", False):
        return None
    request.build_budget_spent = True
    address = client_address(request)
    wait = spend(address)
    if wait is None:
        return None
    if len(_TOLD_TO_WAIT) >= MAX_REMEMBERED:
        _TOLD_TO_WAIT.clear()
    _TOLD_TO_WAIT[address] = clock() + wait
    return refusal_page(request, wait)


def told_to_wait(request):
    """A 429 for a miss of a client this worker refused, until its window ends."""
    if not _TOLD_TO_WAIT or settings.PUBLIC_BUILD_BUDGET <= 0:
        return None
    from feedback.ratelimit import client_address

    address = client_address(request)
    until = _TOLD_TO_WAIT.get(address)
    if until is None:
        return None
    now = clock()
    if now >= until:
        _TOLD_TO_WAIT.pop(address, None)
        return None
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with override(language):
        return refusal_page(request, max(1, math.ceil(until - now)))


def refusal_page(request, wait: int):
    """The short 429 page with Retry-After, in the active language."""
    from quartier.errors import error_page

    context = {
        "retry_after": wait,
        "home_url": reverse("events:upcoming"),
        # error_page applies no context processors: the page's language itself.
        "LANGUAGE_CODE": get_language(),
        "LANGUAGE_BIDI": get_language_bidi(),
    }
    response = error_page(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


@receiver(setting_changed)
def _forget_refusals(*, setting, **kwargs):
    if setting.startswith("PUBLIC_BUILD_") or setting == "PUBLIC_CACHE_SECONDS":
        _TOLD_TO_WAIT.clear()
