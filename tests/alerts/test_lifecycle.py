"""Subscribe, confirm, expired link, wrong signature, one-click unsubscribe, data gone."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from alerts import tokens
from alerts.models import Delivery, Subscription
from tests.alerts.helpers import link, run_tasks, subscribed
from tests.factories import (
    DistrictFactory,
    EventFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

URL = "/benachrichtigungen/"


def form(**values) -> dict:
    return {"email": "citizen@example.org", "zustimmung": "on", **values}


def test_the_page_is_public_in_every_language(client):
    assert client.get(URL).status_code == 200
    response = client.get("/en" + URL)
    assert response.status_code == 200
    assert b'lang="en"' in response.content
    assert b"<script>" not in response.content


def test_the_list_filters_are_carried_over(client):
    district = DistrictFactory(slug="oststadt", name="Oststadt")
    response = client.get(URL + "?bezirk=oststadt&angebot=kinderbetreuung")
    assert response.context["form"].initial == {
        "bezirk": district,
        "angebot": "kinderbetreuung",
    }


def test_subscribe_stores_only_what_was_given_and_sends_a_confirmation(client):
    district = DistrictFactory(slug="oststadt")
    response = client.post(
        "/en" + URL,
        form(
            email=" Citizen@Example.ORG ",
            bezirk="oststadt",
            angebot="kinderbetreuung",
            erinnerung="on",
        ),
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/benachrichtigungen/gesendet/"
    subscription = Subscription.objects.get()
    assert subscription.email == "citizen@example.org"
    assert subscription.consented_at is None  # not before the link is clicked
    assert subscription.district == district
    assert subscription.category == "kinderbetreuung"
    assert subscription.language == "en"
    assert subscription.reminder is True
    assert "203.0.113.9" not in str(Subscription.objects.values().get())
    assert mail.outbox == []  # sent by the worker, not by the request
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["citizen@example.org"]
    assert message.subject == "Please confirm your e-mail alerts"
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_confirm_then_unsubscribe_in_one_click(client):
    client.post(URL, form(angebot="kinderbetreuung"))
    run_tasks()
    (message,) = mail.outbox
    assert message.subject == "Bitte bestätigen Sie Ihre E-Mail-Benachrichtigungen"
    confirm = link(message, "bestaetigen")
    # A GET only asks: mail scanners that follow links confirm nothing.
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get().consented_at is None
    response = client.post(confirm)
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.consented_at is not None
    assert subscription.category == "kinderbetreuung"

    # A new date matching the choice, published: the alert goes out.
    event = EventFactory(services=[ServiceOfferingFactory(category="kinderbetreuung")])
    event.status = event.Status.PUBLISHED
    event.save()
    mail.outbox.clear()
    run_tasks()
    (alert,) = mail.outbox
    assert "Jobcenter im Quartier" in alert.subject
    unsubscribe = alert.extra_headers["List-Unsubscribe"].strip("<>")
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    # RFC 8058: a POST with this body, no cookie, no CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/" + path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert not Delivery.objects.exists()  # its data gone with it


def test_the_unsubscribe_link_asks_on_get(client):
    subscription = subscribed()
    url = reverse(
        "alerts:unsubscribe",
        kwargs={"pk": subscription.pk, "token": tokens.unsubscribe_token(subscription)},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b'type="submit"' in response.content
    assert Subscription.objects.exists()


def test_an_expired_confirmation_link_gets_a_clear_page(client):
    client.post(URL, form())
    run_tasks()
    confirm = link(mail.outbox[0], "bestaetigen")
    later = timezone.now() + timedelta(hours=49)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(confirm)
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert Subscription.objects.get().consented_at is None


@pytest.mark.parametrize("change", ["signature", "other_subscription", "garbage"])
def test_a_wrong_signature_gets_a_clear_page(client, change):
    client.post(URL, form())
    run_tasks()
    confirm = link(mail.outbox[0], "bestaetigen")
    pk = Subscription.objects.get().pk
    if change == "signature":
        bad = confirm[:-3] + ("x" if confirm[-3] != "x" else "y") + confirm[-2:]
    elif change == "other_subscription":
        other = Subscription.objects.create(email="other@example.org", language="de")
        bad = confirm.replace(f"/{pk}/", f"/{other.pk}/")
    else:
        bad = f"/benachrichtigungen/bestaetigen/{pk}/%3Cscript%3E/"
    for method in (client.get, client.post):
        response = method(bad)
        assert response.status_code == 400, change
        assert "funktioniert nicht" in response.content.decode()
    assert not Subscription.objects.filter(consented_at__isnull=False).exists()


def test_a_wrong_unsubscribe_signature_deletes_nothing(client):
    subscription = subscribed()
    response = client.post(f"/benachrichtigungen/abmelden/{subscription.pk}/abc/")
    assert response.status_code == 400
    assert Subscription.objects.exists()
    # A token for an address the row no longer has is void too.
    token = signing.Signer(salt="alerts.unsubscribe:someone@else.org").signature(
        str(subscription.pk)
    )
    response = client.post(f"/benachrichtigungen/abmelden/{subscription.pk}/{token}/")
    assert response.status_code == 400


def test_the_answer_never_tells_whether_an_address_is_subscribed(client):
    subscribed("known@example.org")
    answers = []
    for email in ("known@example.org", "new@example.org"):
        response = client.post(URL, form(email=email), follow=True)
        answers.append((response.status_code, response.content))
    assert answers[0] == answers[1]


def test_at_most_one_confirmation_mail_a_day_per_address(client, settings):
    settings.ALERTS_RATE_LIMIT = 0
    for _ in range(5):
        client.post(URL, form())
    run_tasks()
    assert len(mail.outbox) == 1
    subscription = Subscription.objects.get()
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    client.post(URL, form())
    run_tasks()
    assert len(mail.outbox) == 2


def test_a_confirmed_subscription_changes_only_through_its_new_link(client, settings):
    settings.ALERTS_RATE_LIMIT = 0
    subscribed(category="kinderbetreuung")
    Subscription.objects.update(confirmation_sent_at=None)
    client.post(URL, form(angebot="integration"))
    assert Subscription.objects.get().category == "kinderbetreuung"
    run_tasks()
    client.post(link(mail.outbox[0], "bestaetigen"))
    assert Subscription.objects.get().category == "integration"


def test_many_sign_ups_from_one_client_are_refused(client, settings):
    settings.ALERTS_RATE_LIMIT = 3
    codes = [
        client.post(
            URL, form(email=f"a{n}@example.org"), REMOTE_ADDR="198.51.100.7"
        ).status_code
        for n in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Subscription.objects.count() == 3
    # Another client is not affected.
    assert (
        client.post(
            URL, form(email="b@example.org"), REMOTE_ADDR="198.51.100.8"
        ).status_code
        == 302
    )


def test_unconfirmed_sign_ups_are_purged(settings):
    from alerts.tasks import purge_unconfirmed

    Subscription.objects.create(
        email="old@example.org",
        language="de",
        confirmation_sent_at=timezone.now()
        - timedelta(hours=settings.ALERTS_CONFIRM_HOURS + 25),
    )
    kept = subscribed("kept@example.org")
    assert purge_unconfirmed(timezone.now()) == 1
    assert list(Subscription.objects.all()) == [kept]
