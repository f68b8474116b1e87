"""A per-client budget for building public pages (events/budget.py)."""

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

from events import budget
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0  # the start of a 60-second window


@pytest.fixture
def now(monkeypatch):
    """A clock the test moves: now["t"]."""
    moment = {"t": START + 10}
    monkeypatch.setattr(budget, "clock", lambda: moment["t"])
    return moment


@pytest.fixture(autouse=True)
def small_budget(settings, now):
    settings.PUBLIC_CACHE_SECONDS = 60
    settings.PUBLIC_BUILD_BUDGET = 3
    settings.PUBLIC_BUILD_WINDOW_SECONDS = 60
    cache.clear()
    EventFactory(published=True)
    with translation.override("de"):
        yield
    cache.clear()
    budget._TOLD_TO_WAIT.clear()


def test_past_the_budget_a_client_gets_429_with_retry_after(client):
    for page in (1, 2, 3):
        assert client.get(f"/?seite={page}").status_code == 200
    refused = client.get("/?seite=4")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "no-store" in refused["Cache-Control"]
    html = refused.content.decode()
    assert '<html lang="de"' in html
    assert "<h1>Zu viele Anfragen</h1>" in html
    assert "Bitte warten Sie 50 Sekunden" in html
    assert '<main id="main"' in html


def test_the_page_is_translated(client):
    for page in (1, 2, 3):
        client.get(f"/en/?seite={page}")
    html = client.get("/en/?seite=4").content.decode()
    assert '<html lang="en"' in html
    assert "Too many requests" in html
    refused = client.get("/ar/?seite=9").content.decode()
    assert 'lang="ar" dir="rtl"' in refused


def test_cache_hits_never_count(client):
    for _ in range(10):
        assert client.get("/").status_code == 200
    assert client.get("/?seite=2").status_code == 200
    assert client.get("/?seite=3").status_code == 200
    assert client.get("/?seite=4").status_code == 429
    # What is in the cache is still served.
    assert client.get("/").status_code == 200


def test_a_crawler_that_waits_as_told_gets_every_page(client, now):
    pages = []
    page = 1
    while page <= 8:
        response = client.get(f"/?seite={page}")
        if response.status_code == 429:
            now["t"] += int(response["Retry-After"])
            continue
        assert response.status_code == 200
        pages.append(page)
        page += 1
    assert pages == list(range(1, 9))


def test_the_budget_is_per_client(client):
    for page in (1, 2, 3):
        client.get(f"/?seite={page}")
    assert client.get("/?seite=4").status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get("/?seite=5").status_code == 200


def test_behind_a_proxy_the_client_ip_header_decides(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    one = Client(HTTP_X_REAL_IP="198.51.100.1")
    for page in (1, 2, 3):
        one.get(f"/?seite={page}")
    assert one.get("/?seite=4").status_code == 429
    two = Client(HTTP_X_REAL_IP="198.51.100.2")
    assert two.get("/?seite=5").status_code == 200


def test_the_budget_is_shared_through_the_cache(client, monkeypatch):
    # Another worker: its own handler and its own connection to the same cache.
    assert client.get("/?seite=1").status_code == 200
    assert client.get("/?seite=2").status_code == 200
    monkeypatch.setattr(budget, "cache", caches.create_connection("default"))
    worker = Client()
    assert worker.get("/?seite=3").status_code == 200
    assert worker.get("/?seite=4").status_code == 429
    assert budget.cache is not cache


def test_no_address_is_stored(client):
    client.get("/?seite=1")
    key = budget.cache_key("127.0.0.1", 60, START + 10)
    assert "127.0.0.1" not in key
    assert cache.get(key) == 1


def test_switched_off_with_zero(client, settings):
    settings.PUBLIC_BUILD_BUDGET = 0
    for page in range(1, 8):
        assert client.get(f"/?seite={page}").status_code == 200


def test_not_counted_while_the_page_cache_is_off(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    for page in range(1, 8):
        assert client.get(f"/?seite={page}").status_code == 200


def test_staff_are_never_limited(staff_client):
    for page in range(1, 8):
        assert staff_client.get(f"/?seite={page}").status_code == 200


def test_hostile_queries_are_refused_not_built(client):
    for n in range(3):
        client.get(f"/?bezirk=x{n}&utm={n}")
    refused = client.get("/?bezirk=%3Cscript%3E&von=%ff")
    assert refused.status_code == 429
    assert "<script>" not in refused.content.decode()


def test_the_refusal_page_is_valid_html(client, tmp_path):
    from tests.test_valid_html import VNU, nu_errors

    if not VNU.exists():
        pytest.skip("vnu.jar is missing")
    for page in (1, 2, 3):
        client.get(f"/ar/?seite={page}")
    refused = client.get("/ar/?seite=4")
    assert refused.status_code == 429
    path = tmp_path / "429.html"
    path.write_bytes(refused.content)
    assert nu_errors([path]) == []


def test_a_refusal_is_answered_before_sessions_and_costs_no_query(
    client, django_assert_num_queries, monkeypatch
):
    for page in (1, 2, 3):
        client.get(f"/?seite={page}")
    from django.contrib.sessions.middleware import SessionMiddleware

    def no_session(*args, **kwargs):
        raise AssertionError("the session middleware ran for a refusal")

    monkeypatch.setattr(SessionMiddleware, "process_request", no_session)
    with django_assert_num_queries(0):
        refused = client.get("/?seite=4")
    assert refused.status_code == 429
    assert refused["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]


def test_each_build_is_counted_once(client):
    """The early middleware counts a miss; the view's wrapper does not again."""
    client.get("/?seite=1")
    assert cache.get(budget.cache_key("127.0.0.1", 60, START + 10)) == 1


def test_a_client_told_to_wait_is_answered_by_the_worker_alone(
    client, now, monkeypatch
):
    for page in (1, 2, 3):
        client.get(f"/?seite={page}")
    assert client.get("/?seite=4").status_code == 429

    class NoCache:
        def __getattr__(self, name):
            raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(budget, "cache", NoCache())
    again = client.get("/?seite=5")  # not counted in the shared cache again
    assert again.status_code == 429
    assert again["Retry-After"] == "50"
    monkeypatch.undo()
    assert Client(REMOTE_ADDR="192.0.2.9").get("/").status_code == 200
    now["t"] += 50  # its window is over
    assert client.get("/?seite=1").status_code == 200


def test_the_worker_forgets_when_the_budget_is_switched_off(client, settings):
    for page in (1, 2, 3, 4):
        client.get(f"/?seite={page}")
    assert client.get("/?seite=5").status_code == 429
    settings.PUBLIC_BUILD_BUDGET = 0
    assert client.get("/?seite=5").status_code == 200
