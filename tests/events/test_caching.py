import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.http import quote_etag

from events.caching import public_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_view():
    calls = []

    @public_cache
    def view(request):
        calls.append(request)
        return HttpResponse(f"call {len(calls)}")

    view.calls = calls
    return view


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def get(path="/", user=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return request


def test_anonymous_requests_are_served_from_the_cache(counting_view):
    first = counting_view(get())
    second = counting_view(get())
    assert second.content == first.content == b"call 1"
    assert len(counting_view.calls) == 1
    assert "max-age=60" in second["Cache-Control"]


def test_each_address_is_cached_apart(counting_view):
    counting_view(get("/archiv/"))
    counting_view(get("/"))
    assert len(counting_view.calls) == 2


def test_logged_in_staff_bypass_the_cache_and_are_never_stored(counting_view):
    staff = UserFactory()
    assert counting_view(get(user=staff)).content == b"call 1"
    assert counting_view(get()).content == b"call 2"
    assert counting_view(get(user=staff)).content == b"call 3"


def test_nothing_is_cached_when_switched_off(counting_view, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    counting_view(get())
    counting_view(get())
    assert len(counting_view.calls) == 2


def test_errors_are_not_cached(settings):
    calls = []

    @public_cache
    def missing(request):
        calls.append(1)
        return HttpResponse("nope", status=404)

    missing(get())
    missing(get())
    assert len(calls) == 2


@pytest.fixture
def filtering_view():
    calls = []

    @public_cache(query=("bezirk", "seite"))
    def view(request):
        calls.append(request)
        return HttpResponse(f"call {len(calls)}")

    view.calls = calls
    return view


def test_parameters_the_view_reads_are_cached_apart(filtering_view):
    filtering_view(get("/?bezirk=oststadt"))
    filtering_view(get("/?bezirk=weststadt"))
    filtering_view(get("/?seite=2&bezirk=oststadt"))
    filtering_view(get("/?bezirk=oststadt&seite=2"))  # same, other order
    assert len(filtering_view.calls) == 3


def test_unknown_parameters_cannot_bust_the_cache(counting_view, filtering_view):
    for n in range(5):
        counting_view(get(f"/kalender.ics?x={n}"))
        filtering_view(get(f"/?bezirk=oststadt&utm_source={n}"))
    assert len(counting_view.calls) == 1
    assert len(filtering_view.calls) == 1


def test_a_cached_page_carries_its_etag_hashed_once(counting_view):
    # Built with it, so a hit needs no hashing by ConditionalGetMiddleware.
    first = counting_view(get())
    second = counting_view(get())
    expected = quote_etag(hashlib.md5(b"call 1", usedforsecurity=False).hexdigest())
    assert first["ETag"] == second["ETag"] == expected


def test_the_etag_of_a_cached_page_answers_revalidation(client):
    etag = client.get("/")["ETag"]
    assert client.get("/")["ETag"] == etag
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304
