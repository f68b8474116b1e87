"""Brute-force protection on the admin login (django-axes) and the login records."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from tests.accounts import force_login_verified
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
LOGIN = "/admin/login/"
ADDRESS = "203.0.113.7"
GERMAN_MESSAGE = "Zu viele fehlgeschlagene Anmeldeversuche"


def log_in(client, username, password, address=ADDRESS, **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username, times, address=ADDRESS, **headers):
    """Wrong passwords: the form again, and 429 from the one reaching the limit."""
    response = None
    for _ in range(times):
        response = log_in(client, username, "wrong password", address, **headers)
        assert response.status_code in (200, 429)
    return response


@pytest.fixture
def superuser_client(db):
    """A second browser: a superuser, logged in with both factors."""
    admin = Client()
    force_login_verified(admin, UserFactory(username="admin", is_superuser=True))
    return admin


@pytest.fixture
def staff(roles):
    return UserFactory(username="mitarbeiterin", groups=["Mitarbeitende"])


def test_the_right_password_after_too_many_wrong_ones_is_refused(
    client, staff, settings
):
    response = fail(client, "mitarbeiterin", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    response = log_in(client, "mitarbeiterin", "wrong again")
    assert response.status_code == 429
    response = log_in(client, "mitarbeiterin", PASSWORD)
    assert response.status_code == 429
    assert GERMAN_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_let_the_owner_in(client, staff, settings):
    fail(client, "mitarbeiterin", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 302


def test_the_lockout_message_exists_in_english_too(rf):
    # The admin speaks German (no language prefix); the source string is English.
    with translation.override("en"):
        page = render_to_string("staffauth/locked_out.html", request=rf.get(LOGIN))
    assert "Too many failed login attempts" in page


def test_an_address_trying_many_user_names_is_locked_out(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, f"guess{n}", 1)
    # Even the right password of a real account no longer works from there …
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 429
    # … while the account itself is not locked from another address.
    assert log_in(client, "mitarbeiterin", PASSWORD, "198.51.100.9").status_code == 302


def test_a_user_name_tried_from_many_addresses_is_locked_out(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "mitarbeiterin", 1, address=f"198.51.100.{n + 1}")
    assert log_in(client, "mitarbeiterin", PASSWORD, "192.0.2.50").status_code == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_count(
    client, staff, settings
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, f"guess{n}", 1, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = log_in(
        client, "mitarbeiterin", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ADDRESS}


def test_behind_a_trusted_proxy_the_configured_header_is_the_address(
    client, staff, settings
):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, f"guess{n}", 1, HTTP_X_REAL_IP="192.0.2.1")
    # Same proxy (REMOTE_ADDR), another client behind it: not locked.
    assert (
        log_in(
            client, "mitarbeiterin", PASSWORD, HTTP_X_REAL_IP="192.0.2.2"
        ).status_code
        == 302
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "192.0.2.1"
    }


@pytest.mark.parametrize(
    ("command", "argument"),
    [("axes_reset_username", "mitarbeiterin"), ("axes_reset", None)],
)
def test_an_administrator_unlocks_with_a_command(
    client, staff, settings, command, argument
):
    fail(client, "mitarbeiterin", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 429
    call_command(command, *([argument] if argument else []), stdout=None)
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(
    client, staff, settings, superuser_client
):
    fail(client, "mitarbeiterin", settings.AXES_FAILURE_LIMIT)
    admin = superuser_client
    attempt = AccessAttempt.objects.get()
    url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off_time(client, staff, settings):
    fail(client, "mitarbeiterin", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 302


def test_only_what_the_lockout_needs_is_stored(client, staff):
    fail(client, "mitarbeiterin", 1, HTTP_USER_AGENT="Mozilla/5.0 (Personal)")
    log_in(client, "mitarbeiterin", PASSWORD, HTTP_USER_AGENT="Mozilla/5.0 (Personal)")
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        row = model.objects.get()
        assert (row.username, row.ip_address) == ("mitarbeiterin", ADDRESS)
        assert row.user_agent == ""
        assert row.http_accept == ""
    assert PASSWORD not in AccessAttempt.objects.get().post_data
    assert "wrong password" not in AccessAttempt.objects.get().post_data


# What is recorded: logins, logouts and failed logins


def test_login_logout_and_failure_are_recorded(client, staff):
    fail(client, "mitarbeiterin", 1)
    assert log_in(client, "mitarbeiterin", PASSWORD).status_code == 302
    client.post("/admin/logout/")
    failure = AccessFailureLog.objects.get()
    assert failure.username == "mitarbeiterin"
    assert failure.attempt_time is not None
    access = AccessLog.objects.get()
    assert access.username == "mitarbeiterin"
    assert access.logout_time is not None
    assert access.logout_time >= access.attempt_time


def test_superusers_see_the_login_records_and_staff_do_not(
    client, staff, superuser_client
):
    log_in(client, "mitarbeiterin", PASSWORD)
    admin = superuser_client
    response = admin.get("/admin/axes/accesslog/")
    assert response.status_code == 200
    assert "mitarbeiterin" in response.content.decode()
    assert admin.get("/admin/axes/accessfailurelog/").status_code == 200
    assert client.get("/admin/axes/accesslog/").status_code == 403


# Retention


def test_old_login_records_are_purged_and_recent_ones_kept(client, staff, settings):
    fail(client, "mitarbeiterin", 1)
    log_in(client, "mitarbeiterin", PASSWORD)
    old = timezone.now() - timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS + 1)
    AccessLog.objects.update(attempt_time=old)
    AccessFailureLog.objects.update(attempt_time=old)
    AccessAttempt.objects.update(attempt_time=old)
    fail(client, "someone", 1, address="192.0.2.80")
    call_command("purge_login_records", stdout=None)
    assert not AccessLog.objects.exists()
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [
        "someone"
    ]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone"]


def test_no_address_or_user_name_reaches_the_logs(client, staff, caplog):
    with caplog.at_level("DEBUG"):
        fail(client, "mitarbeiterin", 1)
        log_in(client, "mitarbeiterin", PASSWORD)
    assert caplog.records, "axes logs logins"
    assert ADDRESS not in caplog.text
    assert "mitarbeiterin" not in caplog.text
