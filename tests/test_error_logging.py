"""One JSON line per failed request, with the id the error page shows; no personal data."""

import io
import json
import logging
import re
from unittest import mock

import pytest
from django.test import Client

from quartier.logformat import JsonFormatter
from quartier.requestid import request_id_for
from tests.factories import feedback_form_data, open_for_feedback
from tests.outage import database_down

pytestmark = pytest.mark.django_db

# What a visitor's request carries that must never reach a log.
ADDRESS = "203.0.113.77"
AGENT = "ErikasTelefon/1.0"
PERSONAL = [ADDRESS, AGENT, "Erika", "Mustermann", "75175", "plz", "geheim"]


@pytest.fixture
def log_output(monkeypatch):
    """What the configured console handler writes, as settings.LOGGING sets it up."""
    (handler,) = (
        handler
        for handler in logging.getLogger("django.request").handlers
        if isinstance(handler.formatter, JsonFormatter)
    )
    output = io.StringIO()
    monkeypatch.setattr(handler, "stream", output)
    return output


@pytest.fixture(autouse=True)
def _errors_answered(client):
    client.raise_request_exception = False


def lines(output: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in output.getvalue().splitlines()]


def assert_no_personal_data(output: io.StringIO):
    text = output.getvalue()
    for secret in PERSONAL:
        assert secret not in text


def test_an_outage_is_logged_once_with_the_id_the_page_shows(client, log_output):
    with database_down():
        response = client.get(
            "/", {"plz": "75175"}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT
        )
    assert response.status_code == 503
    request_id = response["X-Request-ID"]
    assert request_id in response.content.decode()
    (line,) = lines(log_output)
    assert line["level"] == "ERROR"
    assert line["logger"] == "django.request"
    assert line["status"] == 503
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["view"] == "events:upcoming"
    assert line["error"] == "django.db.utils.OperationalError"
    assert any(frame.startswith("events/views.py:") for frame in line["where"])
    assert set(line) == {
        "time",
        "level",
        "logger",
        "request_id",
        "method",
        "path",
        "view",
        "status",
        "error",
        "where",
    }
    assert_no_personal_data(log_output)


def test_feedback_answers_never_reach_the_log(client, log_output):
    event = open_for_feedback()
    data = feedback_form_data(event, comment="Ich bin Erika Mustermann, geheim")
    with database_down():
        response = client.post(
            f"/f/{event.short_code}/", data, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT
        )
    assert response.status_code == 503
    (line,) = lines(log_output)
    assert line["view"] == "feedback:form"
    assert line["method"] == "POST"
    assert_no_personal_data(log_output)


def test_an_error_keeps_its_message_out_of_the_log(client, log_output):
    # An exception's message may quote data (here: what a person typed).
    failure = ValueError("Erika Mustermann, 75175")
    with mock.patch("events.views.upcoming_events", side_effect=failure):
        response = client.get("/", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    assert response.status_code == 500
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Etwas ist schiefgelaufen" in html
    assert response["X-Request-ID"] in html
    (line,) = lines(log_output)
    assert line["status"] == 500
    assert line["error"] == "builtins.ValueError"
    assert line["request_id"] == response["X-Request-ID"]
    assert_no_personal_data(log_output)


def test_a_fresh_id_for_every_request(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert first != second


def test_a_well_formed_incoming_id_is_kept(client):
    incoming = "3f2c9a1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f"
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "short",
        "x" * 65,
        "abc def ghi",
        'abcdefgh"}, {"level": "INFO',
        "abcdefgh\nforged line",
        "<script>alert(1)</script>",
        "-abcdefgh",
        "Erika.Mustermann@example.org",
    ],
)
def test_anything_else_is_replaced_not_echoed(client, incoming):
    assert re.fullmatch(r"[0-9a-f]{12}", request_id_for(incoming))
    if "\n" not in incoming:  # the test client itself refuses a header newline
        response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
        assert response["X-Request-ID"] != incoming
        assert re.fullmatch(r"[0-9a-f]{12}", response["X-Request-ID"])


def test_a_refused_form_is_logged_with_its_reason_only(log_output):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/admin/login/",
        {"username": "erika", "password": "geheim-geheim"},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
    )
    assert response.status_code == 403
    (line,) = lines(log_output)
    assert line["logger"] == "django.security.csrf"
    assert line["level"] == "WARNING"
    assert line["status"] == 403
    assert line["message"] == "Forbidden (CSRF cookie not set.): /admin/login/"
    assert line["request_id"] == response["X-Request-ID"]
    assert "erika" not in log_output.getvalue()
    assert_no_personal_data(log_output)
