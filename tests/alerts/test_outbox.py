"""Publishing queues the alert in the same transaction; fan-out, retries, dead letters."""

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import tasks
from alerts.models import Delivery, Kind, Notification, Subscription
from alerts.recovery import requeue_stale
from events.models import Event
from events.services import publish_event
from tests.alerts.helpers import run_tasks, subscribed
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db


def alert_tasks():
    return DBTaskResult.objects.filter(task_path="alerts.tasks.fan_out")


def test_publishing_writes_the_outbox_and_the_task_in_its_transaction():
    event = EventFactory()
    assert not Notification.objects.exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_event(event)
        assert Notification.objects.filter(event=event, kind=Kind.NEW).exists()
        assert alert_tasks().count() == 1  # the task row, in this transaction
        raise RuntimeError("rolled back")
    assert not Notification.objects.exists()
    assert not alert_tasks().exists()
    publish_event(Event.objects.get(pk=event.pk))
    assert Notification.objects.filter(event=event).count() == 1
    # Saving it again (or publishing twice) queues nothing more.
    event.refresh_from_db()
    event.save()
    publish_event(event)
    assert alert_tasks().count() == 1


def test_drafts_and_past_events_queue_nothing():
    EventFactory()
    start = timezone.now() - timedelta(days=2)
    EventFactory(published=True, start=start, end=start + timedelta(hours=2))
    assert not Notification.objects.exists()


def test_publishing_in_the_admin_queues_the_alert(staff_client):
    event = EventFactory()
    response = staff_client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(event=event, kind=Kind.NEW).exists()


def test_each_matching_subscriber_gets_one_mail_in_their_language():
    oststadt = DistrictFactory(slug="oststadt", name="Oststadt")
    other = DistrictFactory(slug="weststadt", name="Weststadt")
    parents = TargetGroupFactory(name="Eltern", slug="eltern")
    subscribed("all@example.org")
    subscribed("ost@example.org", district=oststadt.pk, language="tr")
    subscribed(
        "ost-kita@example.org",
        district=oststadt.pk,
        category="kinderbetreuung",
        language="en",
    )
    subscribed("eltern@example.org", target_group=parents.pk)
    subscribed("west@example.org", district=other.pk)
    subscribed("integration@example.org", category="integration")
    Subscription.objects.create(email="pending@example.org", language="de")

    event = EventFactory(
        location=LocationFactory(district=oststadt),
        services=[ServiceOfferingFactory(category="kinderbetreuung")],
        target_groups=[parents],
    )
    publish_event(event)
    run_tasks()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [
        "all@example.org",
        "eltern@example.org",
        "ost-kita@example.org",
        "ost@example.org",
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["ost-kita@example.org"].subject.startswith("New date: ")
    assert by_address["all@example.org"].subject.startswith("Neuer Termin: ")
    html = by_address["ost-kita@example.org"].alternatives[0][0]
    assert '<html lang="en">' in html
    assert "/en/veranstaltungen/" in html
    for message in mail.outbox:
        assert (
            message.extra_headers["List-Unsubscribe-Post"]
            == "List-Unsubscribe=One-Click"
        )
        assert message.body  # plain text too
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 4
    # Running everything again sends nothing twice.
    mail.outbox.clear()
    tasks.fan_out.call(Notification.objects.get().pk)
    for result in DBTaskResult.objects.filter(task_path="alerts.tasks.send_batch"):
        result.task.call(*result.args_kwargs["args"])
    run_tasks()
    assert mail.outbox == []


def test_right_to_left_languages_get_dir_rtl():
    subscribed("ar@example.org", language="ar")
    publish_event(EventFactory())
    run_tasks()
    (message,) = mail.outbox
    assert '<html lang="ar" dir="rtl">' in message.alternatives[0][0]


def test_hostile_text_in_an_event_is_escaped_in_the_html_mail():
    subscribed()
    event = EventFactory(
        title='<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    )
    publish_event(event)
    run_tasks()
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "\n" not in mail.outbox[0].subject


def test_batches_split_the_subscribers(settings):
    settings.ALERTS_BATCH_SIZE = 3
    for n in range(8):
        subscribed(f"s{n}@example.org")
    publish_event(EventFactory())
    run_tasks()
    assert DBTaskResult.objects.filter(task_path="alerts.tasks.send_batch").count() == 3
    assert len(mail.outbox) == 8
    assert len({m.to[0] for m in mail.outbox}) == 8


def test_a_claimed_row_is_never_sent_again():
    """A run that died after claiming: its rows stay claimed, nobody resends."""
    first = subscribed("a@example.org")
    subscribed("b@example.org")
    event = EventFactory()
    Delivery.objects.create(
        subscription=first, event=event, kind=Kind.NEW, claim="dead-run"
    )
    publish_event(event)
    run_tasks()
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]


def test_a_task_of_a_dead_worker_is_queued_again():
    subscribed()
    publish_event(EventFactory())
    result = alert_tasks().get()
    result.claim("killed-worker")  # taken, then the worker died
    assert requeue_stale(older_than=3600) == 0  # not stale yet
    assert requeue_stale(older_than=0) == 1
    result.refresh_from_db()
    assert result.status == "FAILED"
    run_tasks()
    assert len(mail.outbox) == 1


class FlakyBackend:
    """Fails for one address until told otherwise."""

    failing = {"flaky@example.org"}

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in self.failing:
                raise ConnectionRefusedError("mail server away")
            mail.outbox.append(message)
        return len(messages)


def test_failures_are_retried_with_backoff_and_end_as_dead_letters(
    settings, coordinator_client
):
    settings.ALERTS_MAX_ATTEMPTS = 3
    subscribed("flaky@example.org")
    subscribed("fine@example.org")
    publish_event(EventFactory())
    with mock.patch("alerts.tasks.get_connection", FlakyBackend):
        run_tasks()
        assert [m.to[0] for m in mail.outbox] == ["fine@example.org"]
        row = Delivery.objects.get(subscription__email="flaky@example.org")
        assert row.status == Delivery.Status.FAILED
        assert row.attempts == 1
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)
        retry = DBTaskResult.objects.get(task_path="alerts.tasks.retry_deliveries")
        assert retry.run_after == row.next_attempt_at  # not before the backoff
        assert run_tasks() == 0
        for _ in range(2):  # the backoff has passed
            Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
            run_tasks()
        row.refresh_from_db()
        assert row.status == Delivery.Status.DEAD
        assert row.attempts == 3
        assert "ConnectionRefusedError" in row.last_error
        # The dead-letter list in the admin; the address is masked.
        response = coordinator_client.get("/admin/alerts/delivery/?status__exact=dead")
        assert response.status_code == 200
        assert b"f\xe2\x80\xa6@example.org" in response.content
        assert b"flaky@example.org" not in response.content
        # Given up: no retry task is left.
        FlakyBackend.failing = set()
        run_tasks(include_later=True)
    assert len(mail.outbox) == 1


def test_the_reminder_goes_out_the_day_before_to_those_who_chose_it(settings):
    settings.ALERTS_REMINDER_HOUR = 8
    subscribed("remind@example.org", reminder=True)
    subscribed("new-only@example.org")
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time(10)))
    publish_event(EventFactory(start=start, end=start + timedelta(hours=3)))
    run_tasks()
    assert len(mail.outbox) == 2  # the new date, to both
    mail.outbox.clear()
    early = timezone.make_aware(datetime.combine(timezone.localdate(), time(7)))
    assert tasks.queue_reminders(early) == 0
    at_eight = timezone.make_aware(datetime.combine(timezone.localdate(), time(8, 5)))
    assert tasks.queue_reminders(at_eight) == 1
    assert tasks.queue_reminders(at_eight) == 0  # once
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["remind@example.org"]
    assert message.subject.startswith("Morgen: ")


def test_the_sweep_schedules_itself_once():
    tasks.schedule_sweep()
    tasks.schedule_sweep()
    assert (
        DBTaskResult.objects.filter(
            task_path="alerts.tasks.sweep", status="READY"
        ).count()
        == 1
    )
    run_tasks()
    waiting = DBTaskResult.objects.get(task_path="alerts.tasks.sweep", status="READY")
    assert waiting.run_after > timezone.now() + timedelta(minutes=4)
