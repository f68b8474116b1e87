"""Staff sessions: idle expiry, logout everywhere on a password change, none for visitors."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from quartier import staffauth
from tests.factories import EventFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staff(roles):
    return UserFactory(username="mitarbeiterin", groups=["Mitarbeitende"])


def log_in(client):
    response = client.post(
        "/admin/login/", {"username": "mitarbeiterin", "password": PASSWORD}
    )
    assert response.status_code == 302


def only_session() -> Session:
    return Session.objects.get()


def test_public_visitors_get_no_session(client, db):
    event = EventFactory(published=True)
    for url in ("/", "/en/", f"/veranstaltungen/{event.slug}/", "/archiv/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "sessionid" not in response.cookies, url
    assert not Session.objects.exists()


def test_the_idle_timeout_is_thirty_minutes_by_default(settings):
    assert settings.STAFF_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_staff_session_expires_after_the_idle_time(client, staff, settings):
    before = timezone.now()
    log_in(client)
    expires = only_session().expire_date
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert before + idle <= expires <= timezone.now() + idle


def test_an_idle_session_is_logged_out(client, staff):
    log_in(client)
    assert client.get("/admin/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_activity_keeps_the_session_alive_at_most_once_a_minute(
    client, staff, settings
):
    log_in(client)
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.update(expire_date=soon)
    # Within the minute after the last save: nothing is written.
    client.get("/admin/")
    assert only_session().expire_date == soon

    session = client.session
    session[staffauth.LAST_SEEN_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.update(expire_date=soon)
    client.get("/admin/")
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert only_session().expire_date >= timezone.now() + idle - timedelta(seconds=5)


def test_a_password_change_logs_out_every_other_session(client, staff):
    other = Client()
    log_in(client)
    log_in(other)
    assert other.get("/admin/").status_code == 200

    new = "a-new-long-password-4711"
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    # The session that changed it stays logged in, the other is logged out.
    assert client.get("/admin/").status_code == 200
    response = other.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
