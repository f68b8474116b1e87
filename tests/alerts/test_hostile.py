"""Hostile input to the subscription form: stored nothing wrong, shown escaped."""

import pytest
from django.core import mail

from alerts.forms import SubscribeForm
from alerts.models import Subscription
from tests.alerts.helpers import run_tasks
from tests.test_hostile_input import PAYLOADS

pytestmark = pytest.mark.django_db

URL = "/benachrichtigungen/"


@pytest.fixture(autouse=True)
def _no_client_limit(settings):
    settings.ALERTS_RATE_LIMIT = 0


@pytest.mark.parametrize("field", list(SubscribeForm.base_fields))
def test_every_field_takes_every_payload(client, field):
    for payload in PAYLOADS.values():
        data = {"email": "ok@example.org", "zustimmung": "on", field: payload}
        for values in (data, {**data, field: [payload, payload]}):
            response = client.post(URL, values)
            assert response.status_code in (302, 400), (field, payload)
            body = response.content.decode()
            if "<script" in payload:
                assert payload not in body
            assert "\x00" not in body
    for subscription in Subscription.objects.all():
        subscription.full_clean()


@pytest.mark.parametrize(
    "email",
    [
        '"<script>alert(1)</script>"@example.org',
        "a@example.org\r\nBcc: victim@example.org",
        "x" * 250 + "@example.org",
        "a@example.org,b@example.org",
        "<img src=x onerror=alert(1)>@example.org",
    ],
)
def test_hostile_addresses_are_refused_or_harmless(client, email):
    response = client.post(URL, {"email": email, "zustimmung": "on"})
    run_tasks()
    if response.status_code == 400:
        assert not Subscription.objects.exists()
        assert mail.outbox == []
        assert "<script>alert" not in response.content.decode()
        return
    # Accepted as a valid address: one mail, to that one address, no header added.
    (message,) = mail.outbox
    assert message.to == [email.strip().lower()]
    assert "Bcc" not in message.message().as_string().split("\n\n", 1)[0]
    html = message.alternatives[0][0]
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bezirk", "gibt-es-nicht"),
        ("bezirk", "1 OR 1=1"),
        ("angebot", "alles"),
        ("zielgruppe", "../etc/passwd"),
    ],
)
def test_wrong_filter_values_are_shown_as_errors(client, field, value):
    response = client.post(
        URL, {"email": "a@example.org", "zustimmung": "on", field: value}
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_without_consent_nothing_is_stored(client):
    response = client.post(URL, {"email": "a@example.org"})
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_a_wrong_filter_in_the_address_is_ignored(client):
    response = client.get(URL + "?bezirk=%3Cscript%3E&angebot=x&zielgruppe=")
    assert response.status_code == 200
    assert response.context["form"].initial == {}
