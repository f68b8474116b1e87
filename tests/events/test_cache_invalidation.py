"""Changes reach every app server's cached pages through the shared cache.

Two app servers are two processes, each with its own connection to the same
cache. Here each "server" is its own cache object; with Redis (database 6)
they share the store, as gunicorn workers on two machines do.
"""

import time
import uuid
from datetime import timedelta

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from events import caching
from events.models import Event, Review
from feedback import ratelimit
from feedback.models import ReviewQuote
from tests.factories import EventFactory, FeedbackFactory, LocationFactory

pytestmark = pytest.mark.django_db

REDIS_TESTS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def anonymous_get(path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


@caching.public_cache
def title_view(request):
    """A public page showing the one event's title, as built from the database."""
    return HttpResponse(Event.objects.get().title)


def test_editing_an_event_shows_at_once(django_capture_on_commit_callbacks):
    event = EventFactory(published=True, title="Alter Titel")
    page = f"/veranstaltungen/{event.slug}/"
    visitor = Client()
    assert "Alter Titel" in visitor.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Neuer Titel"
        event.save()

    content = visitor.get(page).content.decode()
    assert "Neuer Titel" in content
    assert "Alter Titel" not in content


def test_publishing_in_the_admin_shows_on_the_home_page(
    staff_client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Bald öffentlich")
    visitor = Client()
    assert "Bald öffentlich" not in visitor.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/events/event/",
            {"action": "publish", "_selected_action": [event.pk]},
        )

    assert "Bald öffentlich" in visitor.get("/").content.decode()


def test_a_related_change_invalidates_too(django_capture_on_commit_callbacks):
    location = LocationFactory()
    before = caching.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        location.name = "Quartierswerkstatt"
        location.save()
    assert callbacks
    assert caching.generation() > before


def test_choosing_a_review_quote_invalidates(django_capture_on_commit_callbacks):
    start = timezone.now() - timedelta(days=30)
    event = EventFactory(start=start, end=start + timedelta(hours=4))
    feedback = FeedbackFactory(event=event, comment="Sehr gut", may_publish=True)
    review = Review.objects.create(event=event, headline="Rückblick", lead="Kurz.")
    before = caching.generation()
    with django_capture_on_commit_callbacks(execute=True):
        ReviewQuote.objects.create(review=review, feedback=feedback)
    assert caching.generation() > before


def test_new_feedback_does_not_invalidate(django_capture_on_commit_callbacks):
    event = EventFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        before = caching.generation()
        FeedbackFactory(event=event)
    assert caching.generation() == before


def test_nothing_is_invalidated_before_the_commit(django_capture_on_commit_callbacks):
    event = EventFactory(published=True)
    before = caching.generation()
    with django_capture_on_commit_callbacks(execute=False):
        event.title = "Noch nicht sichtbar"
        event.save()
        # Another server building the page now still reads the old rows.
        assert caching.generation() == before


def test_a_page_built_while_a_change_committed_is_not_served_afterwards():
    """The page keeps the generation it was built in: a later one replaces it."""
    event = EventFactory(published=True, title="Alter Titel")

    @caching.public_cache
    def slow_title_view(request):
        response = HttpResponse(Event.objects.get().title)  # the old rows ...
        caching.invalidate_public_pages()  # ... while a change commits
        return response

    assert slow_title_view(anonymous_get()).content == b"Alter Titel"
    event.translations.filter(language_code="de").update(title="Neuer Titel")
    assert slow_title_view(anonymous_get()).content == b"Neuer Titel"


class CountingCache:
    """The cache, counting the calls made to it (each one a round trip)."""

    def __init__(self, cache):
        self.cache, self.calls = cache, []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


def test_a_cache_hit_takes_one_round_trip(monkeypatch):
    EventFactory(published=True, title="Titel")
    title_view(anonymous_get())  # built and stored
    counting = CountingCache(cache)
    monkeypatch.setattr(caching, "cache", counting)
    assert title_view(anonymous_get()).content == b"Titel"
    assert counting.calls == ["get_many"]


def test_a_lost_generation_starts_again_above_the_old_one():
    caching.invalidate_public_pages()
    old = caching.generation()
    cache.delete(caching.generation_key())  # evicted, or the cache restarted
    time.sleep(0.002)  # started from the clock in microseconds
    assert caching.generation() > old


@pytest.fixture
def two_servers(settings):
    """Two app servers: separate cache connections to one Redis database.

    The keys carry a prefix of their own, so parallel test runs sharing the
    database never see (or flush) each other's keys.
    """
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TESTS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(REDIS_TESTS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_TESTS_URL}: {error}")
    first = caches.create_connection("default")
    second = caches.create_connection("default")
    yield first, second
    first.close()
    second.close()
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def on(server, monkeypatch):
    """Let the code below talk to this server's cache connection."""
    monkeypatch.setattr(caching, "cache", server)
    monkeypatch.setattr(ratelimit, "cache", server)


def test_an_edit_through_one_server_reaches_the_other(
    two_servers, monkeypatch, django_capture_on_commit_callbacks
):
    first, second = two_servers
    event = EventFactory(published=True, title="Alter Titel")
    for server in (first, second):  # both have the page cached
        on(server, monkeypatch)
        assert title_view(anonymous_get()).content == b"Alter Titel"

    on(first, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Neuer Titel"
        event.save()

    on(second, monkeypatch)
    assert title_view(anonymous_get()).content == b"Neuer Titel"


def test_the_page_cache_is_shared_between_servers(two_servers, monkeypatch):
    first, second = two_servers
    event = EventFactory(published=True, title="Einmal gebaut")
    on(first, monkeypatch)
    title_view(anonymous_get())
    # Changed behind the cache's back (no signal): the second server still
    # answers from the entry the first one stored.
    event.translations.filter(language_code="de").update(title="Anders")
    on(second, monkeypatch)
    assert title_view(anonymous_get()).content == b"Einmal gebaut"


def test_the_feedback_rate_limit_counts_over_both_servers(
    two_servers, monkeypatch, settings
):
    settings.FEEDBACK_RATE_LIMIT = 4
    first, second = two_servers
    results = []
    for n in range(6):
        on((first, second)[n % 2], monkeypatch)
        results.append(ratelimit.hit("198.51.100.23"))
    assert results == [True, True, True, True, False, False]
