"""A per-client limit on feedback submissions that never stores an address.

The counter lives only in the cache, under a key derived from a salted hash of
the client address: sha256(daily salt + address). The salt is made from
SECRET_KEY and today's date, so keys change every day and cannot be turned
back into an address, and yesterday's keys cannot be linked to today's. The
counter is a fixed window of one clock hour; ``cache.add`` followed by
``cache.incr`` keeps it exact when several workers count at once (with a cache
shared by all workers, e.g. Redis; the local-memory cache counts per process).
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600
KEY_PREFIX = "feedback-rate"


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or a header set by a trusted proxy.

    The login lock-out (django-axes) uses this, too, so both count the same
    address.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        # The right-most entry is the one our own proxy added; earlier entries
        # come from the client and can be forged.
        value = request.META.get(header, "").split(",")[-1].strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR", "")


def daily_salt(now: datetime | None = None) -> str:
    day = timezone.localdate(now or timezone.now())
    return salted_hmac(KEY_PREFIX, day.isoformat()).hexdigest()


def cache_key(address: str, now: datetime | None = None) -> str:
    now = now or timezone.now()
    digest = hashlib.sha256((daily_salt(now) + address).encode()).hexdigest()
    hour = int(now.timestamp()) // WINDOW_SECONDS
    return f"{KEY_PREFIX}:{digest}:{hour}"


def count(address: str, now: datetime | None = None) -> int:
    """Submissions counted for this client in the current hour."""
    return cache.get(cache_key(address, now), 0)


def is_limited(address: str, now: datetime | None = None) -> bool:
    """Whether this client already used up the hour's submissions."""
    limit = settings.FEEDBACK_RATE_LIMIT
    return bool(limit) and count(address, now) >= limit


def hit(address: str, now: datetime | None = None) -> bool:
    """Count one submission; False if it goes over FEEDBACK_RATE_LIMIT."""
    limit = settings.FEEDBACK_RATE_LIMIT
    if not limit:
        return True
    key = cache_key(address, now)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this is the window's first hit.
        cache.add(key, 1, WINDOW_SECONDS)
        used = 1
    return used <= limit
