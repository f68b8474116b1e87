"""Limits against a flooding subscription form, storing no address.

Per client: the feedback form's helper (``feedback.ratelimit``: the same
client-address logic, a salted daily hash, a counter in the cache), with its
own key and limit. Per e-mail address: the pending subscription row keeps when
its last confirmation mail went out; no second one within a day.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from feedback.ratelimit import WINDOW_SECONDS, client_address, daily_salt

__all__ = ["CONFIRMATION_INTERVAL", "client_address", "hit", "is_limited"]

KEY_PREFIX = "alerts-rate"
CONFIRMATION_INTERVAL = timedelta(days=1)


def _key(address: str) -> str:
    now = timezone.now()
    digest = hashlib.sha256((daily_salt(now) + address).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}:{int(now.timestamp()) // WINDOW_SECONDS}"


def is_limited(address: str) -> bool:
    limit = settings.ALERTS_RATE_LIMIT
    return bool(limit) and cache.get(_key(address), 0) >= limit


def hit(address: str) -> bool:
    """Count one subscription attempt; False once over ALERTS_RATE_LIMIT."""
    limit = settings.ALERTS_RATE_LIMIT
    if not limit:
        return True
    key = _key(address)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.add(key, 1, WINDOW_SECONDS)
        used = 1
    return used <= limit


def may_send_confirmation(subscription, now=None) -> bool:
    sent = subscription.confirmation_sent_at
    return sent is None or (now or timezone.now()) - sent >= CONFIRMATION_INTERVAL
