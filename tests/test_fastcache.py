"""Anonymous cache hits answered before sessions and auth (quartier/fastcache.py)."""

import pytest
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

EARLY = "quartier.fastcache.EarlyPageCacheMiddleware"
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    with translation.override("de"):
        yield
    cache.clear()


@pytest.fixture
def event():
    return EventFactory(published=True, title="Sprechstunde am Markt")


@pytest.fixture
def stack_calls(monkeypatch):
    """How often the session and authentication middleware ran."""
    calls = []
    for cls in (SessionMiddleware, AuthenticationMiddleware):
        original = cls.process_request

        def counting(self, request, original=original, name=cls.__name__):
            calls.append(name)
            return original(self, request)

        monkeypatch.setattr(cls, "process_request", counting)
    return calls


def late_client(settings, **defaults) -> Client:
    """A client whose stack has no early middleware: hits answered by the view."""
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = [name for name in full if name != EARLY]
    client = Client(**defaults)
    client.get("/healthz")  # loads its middleware now
    settings.MIDDLEWARE = full
    return client


def headers(response) -> dict:
    found = dict(response.headers)
    found.pop("X-Request-ID")
    return found


def test_a_hit_is_answered_before_sessions_and_authentication(
    client, event, stack_calls, django_assert_num_queries
):
    built = client.get("/")
    assert stack_calls  # the miss went the normal way
    stack_calls.clear()
    with django_assert_num_queries(0):
        hit = client.get("/")
    assert stack_calls == []
    assert hit.status_code == 200
    assert hit.content == built.content
    assert "Sprechstunde am Markt" in hit.content.decode()
    assert not hit.cookies


ADDRESSES = [
    ("/", {}),
    ("/", {"cookie": f"{COOKIE}=de"}),
    ("/", {"accept-language": "de-DE,de;q=0.9"}),
    ("/en/", {}),
    ("/ar/", {}),
    ("/de-x-ls/", {}),
    ("/archiv/", {}),
    ("/?angebot=kinderbetreuung&x=1", {}),
    ("/impressum/", {}),
    ("/kalender.ics", {}),
    ("/feed.atom", {}),
]


@pytest.mark.parametrize(("path", "extra"), ADDRESSES)
def test_an_early_hit_carries_the_headers_of_a_late_one(
    client, settings, event, path, extra, stack_calls
):
    late = late_client(settings)
    late.get(path, headers=extra)  # builds and stores the page
    stack_calls.clear()
    answered_late = late.get(path, headers=extra)
    assert stack_calls  # the view answered it
    stack_calls.clear()
    answered_early = client.get(path, headers=extra)
    assert stack_calls == []
    assert answered_early.status_code == answered_late.status_code == 200
    assert headers(answered_early) == headers(answered_late)
    assert answered_early.content == answered_late.content
    assert answered_early["X-Request-ID"] != answered_late["X-Request-ID"]


def test_the_event_page_and_conditional_requests_alike(
    client, settings, event, stack_calls
):
    path = event.get_absolute_url()
    late = late_client(settings)
    page = late.get(path)
    assert page.status_code == 200
    validators = [
        {"if-none-match": page["ETag"]},
        {"if-modified-since": page["Last-Modified"]},
        {},
    ]
    for extra in validators:
        for method in ("get", "head"):
            stack_calls.clear()
            answered_late = getattr(late, method)(path, headers=extra)
            answered_early = getattr(client, method)(path, headers=extra)
            assert stack_calls == ["SessionMiddleware", "AuthenticationMiddleware"]
            assert answered_early.status_code == answered_late.status_code
            assert headers(answered_early) == headers(answered_late)
            assert answered_early.content == answered_late.content
    assert client.get(path, headers=validators[0]).status_code == 304


def test_staff_with_a_session_always_get_a_fresh_page(staff_client, event, stack_calls):
    client = Client()
    path = event.get_absolute_url()
    assert "Sprechstunde am Markt" in client.get(path).content.decode()
    # Not committed (the test's transaction): the cached page stays out of date.
    event.title = "Sprechstunde im Rathaus"
    event.save()
    assert "Sprechstunde am Markt" in client.get(path).content.decode()
    stack_calls.clear()
    fresh = staff_client.get(path)
    assert "Sprechstunde im Rathaus" in fresh.content.decode()
    assert "SessionMiddleware" in stack_calls


def test_staff_see_a_draft_whose_address_is_cached_for_visitors(staff_client):
    client = Client()
    draft = EventFactory(title="Noch nicht veröffentlicht")
    path = draft.get_absolute_url()
    assert client.get(path).status_code == 404
    assert "Noch nicht veröffentlicht" in staff_client.get(path).content.decode()


def test_any_session_cookie_goes_the_normal_way(client, event, stack_calls):
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
    stack_calls.clear()
    response = client.get("/")
    assert response.status_code == 200
    assert "SessionMiddleware" in stack_calls


def test_a_form_sent_is_never_answered_from_the_cache(client, event, stack_calls):
    client.get("/")
    stack_calls.clear()
    client.post("/")
    assert "SessionMiddleware" in stack_calls


def test_each_language_has_its_own_entry(client, event, stack_calls):
    german = client.get("/")
    english = client.get("/en/")
    stack_calls.clear()
    assert client.get("/en/").content == english.content
    assert client.get("/").content == german.content
    assert stack_calls == []
    assert english.content != german.content
    assert client.get("/en/")["Content-Language"] == "en"
    assert client.get("/")["Content-Language"] == "de"
    assert client.get("/de-x-ls/")["Content-Language"] == "de-x-ls"


def test_a_first_visit_is_still_sent_to_the_browsers_language(
    client, event, stack_calls
):
    client.get("/")  # the German page is in the cache
    response = client.get("/", headers={"accept-language": "ar"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"
    assert "Accept-Language" in response["Vary"]
    # Who chose German keeps it, answered early.
    stack_calls.clear()
    kept = client.get("/", headers={"accept-language": "ar", "cookie": f"{COOKIE}=de"})
    assert kept.status_code == 200
    assert stack_calls == []


def test_nothing_is_answered_early_with_the_cache_off(
    client, settings, event, stack_calls
):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/")
    stack_calls.clear()
    client.get("/")
    assert "SessionMiddleware" in stack_calls


def test_health_checks_and_unknown_paths_go_the_normal_way(client, stack_calls):
    assert client.get("/healthz").status_code == 200
    assert client.get("/gibt-es-nicht/").status_code == 404
    assert client.get("/gibt-es-nicht/").status_code == 404
    assert "SessionMiddleware" in stack_calls


HOSTILE = [
    "?" + "bezirk=" + "x" * 20_000,
    "?angebot=%3Cscript%3Ealert(1)%3C/script%3E&bezirk=%22%3E%3Csvg%20onload=alert(1)%3E",
    "?angebot=kinderbetreuung&angebot=bewerbung&angebot=&angebot=kinderbetreuung",
    "?bezirk=%ff%fe%fd&von=%c0%af&seite=%80",
    "?seite=%00&von=2024-01-01%00",
    "?" + "&".join(f"p{n}=1" for n in range(1200)),
    "?%ff=%ff&=&&&=x",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("path", ["/", "/en/", "/kalender.ics"])
def test_hostile_query_strings_never_break_the_early_path(client, path, query):
    for _ in range(2):  # a miss, then a hit
        response = client.get(path + query)
        assert response.status_code < 500
        if response.status_code == 200 and path != "/kalender.ics":
            html = response.content.decode()
            assert "<script>alert" not in html
            assert "<svg onload" not in html
