import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from feedback import ratelimit

ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limit(settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    return 3


def test_hit_allows_up_to_the_limit_then_refuses(limit):
    assert [ratelimit.hit(ADDRESS) for _ in range(limit + 2)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_is_limited_once_the_limit_is_used_up(limit):
    for _ in range(limit - 1):
        ratelimit.hit(ADDRESS)
    assert not ratelimit.is_limited(ADDRESS)
    ratelimit.hit(ADDRESS)
    assert ratelimit.is_limited(ADDRESS)


def test_is_limited_does_not_count(limit):
    for _ in range(10):
        ratelimit.is_limited(ADDRESS)
    assert ratelimit.count(ADDRESS) == 0


def test_clients_are_counted_apart(limit):
    for _ in range(limit):
        ratelimit.hit(ADDRESS)
    assert ratelimit.hit("203.0.113.8")
    assert ratelimit.is_limited(ADDRESS)


def test_limit_zero_switches_it_off(settings):
    settings.FEEDBACK_RATE_LIMIT = 0
    assert all(ratelimit.hit(ADDRESS) for _ in range(50))
    assert not ratelimit.is_limited(ADDRESS)
    assert ratelimit.count(ADDRESS) == 0


def test_the_next_hour_starts_a_new_window(limit):
    now = timezone.now()
    for _ in range(limit):
        ratelimit.hit(ADDRESS, now)
    assert ratelimit.is_limited(ADDRESS, now)
    assert not ratelimit.is_limited(ADDRESS, now + timedelta(hours=1))


def test_the_key_never_holds_the_address_and_changes_daily():
    now = timezone.now()
    key = ratelimit.cache_key(ADDRESS, now)
    assert ADDRESS not in key
    tomorrow = now + timedelta(days=1)
    digest_today = key.split(":")[1]
    digest_tomorrow = ratelimit.cache_key(ADDRESS, tomorrow).split(":")[1]
    assert digest_today != digest_tomorrow
    assert ratelimit.daily_salt(now) != ratelimit.daily_salt(tomorrow)


def test_the_key_depends_on_the_secret_key(settings):
    now = timezone.now()
    before = ratelimit.cache_key(ADDRESS, now)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert ratelimit.cache_key(ADDRESS, now) != before


def test_the_cache_holds_no_raw_address(limit):
    ratelimit.hit(ADDRESS)
    stored = cache._cache  # the local-memory backend's store
    assert stored
    assert all(ADDRESS not in key for key in stored)
    assert all(ADDRESS.encode() not in value for value in stored.values())


def test_parallel_hits_are_counted_exactly(settings):
    settings.FEEDBACK_RATE_LIMIT = 1000
    threads = [
        threading.Thread(target=ratelimit.hit, args=(ADDRESS,)) for _ in range(40)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ratelimit.count(ADDRESS) == 40


def test_a_key_expiring_between_add_and_incr_counts_as_the_first_hit(
    limit, monkeypatch
):
    def expired(key, delta=1, version=None):
        raise ValueError("Key not found")

    monkeypatch.setattr(cache, "incr", expired)
    assert ratelimit.hit(ADDRESS)


def test_client_address_is_remote_addr_by_default():
    request = RequestFactory().get(
        "/", REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert ratelimit.client_address(request) == ADDRESS


def test_client_address_from_a_trusted_proxy_header_takes_the_last_entry(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, " + ADDRESS
    )
    assert ratelimit.client_address(request) == ADDRESS


def test_client_address_falls_back_to_remote_addr_without_the_header(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    assert ratelimit.client_address(request) == ADDRESS
