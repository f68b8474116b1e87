"""/healthz and /readyz: what a load balancer probes, cheap and plain."""

import socket

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from quartier import health
from tests.outage import database_down

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/4"
# The one Redis database this project's tests may use.
TEST_REDIS = "redis://127.0.0.1:6379/4"


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """Each test starts like a new process: the migrations not yet checked."""
    monkeypatch.setattr(health, "migrations_applied", False)


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
        }
    }


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def assert_plain(response, status: int, text: bytes):
    assert response.status_code == status
    assert response.content == text
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]


def test_healthz_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_plain(client.get("/healthz"), 200, b"ok")
    with database_down():
        assert_plain(client.get("/healthz"), 200, b"ok")


def test_readyz_checks_the_migrations_once_per_process(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(3):
        assert_plain(client.get("/readyz"), 200, b"ok")
    # Remembered: afterwards only the database is asked, with one query.
    with django_assert_num_queries(1):
        assert_plain(client.get("/readyz"), 200, b"ok")


def test_readyz_when_the_database_is_away(client):
    with database_down():
        assert_plain(client.get("/readyz"), 503, b"database unavailable")


def test_readyz_when_a_migration_is_pending(client):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="feedback").latest("id")
    latest.delete()
    assert_plain(client.get("/readyz"), 503, b"migrations pending")
    # Not remembered: once migrated, the next probe says so.
    recorder.record_applied(latest.app, latest.name)
    assert_plain(client.get("/readyz"), 200, b"ok")


def test_readyz_when_the_shared_cache_is_down(client, settings):
    settings.CACHES = redis_cache(UNREACHABLE_REDIS)
    assert_plain(client.get("/readyz"), 503, b"cache unavailable")


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_readyz_with_a_shared_cache_that_answers(client, settings):
    settings.CACHES = redis_cache(TEST_REDIS)
    assert_plain(client.get("/readyz"), 200, b"ok")


def test_health_checks_answer_plain_http(client, settings):
    # Load balancers probe over HTTP, behind the TLS proxy.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_connections_are_checked_before_reuse(settings):
    # A worker whose kept connection died with the server reconnects by itself
    # (bench/db_outage.py shows it with a real server restart).
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
