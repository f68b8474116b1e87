"""Background jobs on the database queue (django-tasks), shared by all workers.

``fan_out`` splits one notification into ranges of subscription ids and queues
one ``send_batch`` per range, so any number of workers on any number of
machines share the sending. A batch claims a ``Delivery`` row per subscriber
before it sends (inserted with a fresh claim id; rows already there, from an
earlier or a parallel run, are not this run's): a batch run twice sends each
mail once. Failed mails are retried with backoff and end as dead letters.

"At most once": a mail is sent only by the run that claimed its row. If a
worker dies after claiming and before sending, that subscriber gets no mail;
if it dies after sending and before the row is marked sent (at most
``MARK_EVERY`` mails), the rows stay "claimed" and are never sent again.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from alerts.mail import EventMail
from alerts.models import Delivery, Kind, Notification, Subscription
from events.models import Event
from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope, scopes_disabled

logger = logging.getLogger(__name__)

MARK_EVERY = 50
SWEEP_SECONDS = 300


def backoff(attempts: int) -> timedelta:
    """1, 5, 25, 125 … minutes after the first, second, third … failure."""
    return timedelta(minutes=5 ** (attempts - 1))


@task()
def send_confirmation(subscription_id: int, filters: dict, language: str) -> None:
    from alerts.mail import confirmation_message

    with scopes_disabled():
        subscription = Subscription.objects.filter(pk=subscription_id).first()
        if subscription is None:
            return
        jobcenter = Jobcenter.objects.get(pk=subscription.jobcenter_id)
    with jobcenter_scope(jobcenter):
        try:
            confirmation_message(jobcenter, subscription, filters, language).send()
        except Exception:
            # Let the citizen ask again at once rather than after a day.
            Subscription.objects.filter(pk=subscription.pk).update(
                confirmation_sent_at=None
            )
            raise


def _notification(notification_id: int):
    with scopes_disabled():
        notification = (
            Notification.objects.select_related("event")
            .filter(pk=notification_id)
            .first()
        )
    return notification


def _still_wanted(event: Event, kind: str) -> bool:
    return event.status == Event.Status.PUBLISHED and not event.has_started()


def _recipients(event: Event, kind: str):
    subscriptions = Subscription.objects.matching(event)
    if kind == Kind.REMINDER:
        subscriptions = subscriptions.filter(reminder=True)
    return subscriptions


@task()
def fan_out(notification_id: int) -> int:
    """Queue one send_batch per range of subscribers; returns the batch count."""
    notification = _notification(notification_id)
    if notification is None or notification.status == Notification.Status.DONE:
        return 0
    event = notification.event
    batches = 0
    with jobcenter_scope(event.jobcenter_id), transaction.atomic():
        if _still_wanted(event, notification.kind):
            ids = (
                _recipients(event, notification.kind)
                .order_by("pk")
                .values_list("pk", flat=True)
                .iterator(chunk_size=settings.ALERTS_BATCH_SIZE)
            )
            chunk: list[int] = []
            for pk in ids:
                chunk.append(pk)
                if len(chunk) == settings.ALERTS_BATCH_SIZE:
                    send_batch.enqueue(notification.pk, chunk[0], chunk[-1])
                    batches, chunk = batches + 1, []
            if chunk:
                send_batch.enqueue(notification.pk, chunk[0], chunk[-1])
                batches += 1
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.DONE, fanned_out_at=timezone.now()
        )
    return batches


@task()
def send_batch(notification_id: int, first_pk: int, last_pk: int) -> int:
    """Claim and send the mails of one range of subscribers; returns mails sent."""
    notification = _notification(notification_id)
    if notification is None:
        return 0
    event, kind = notification.event, notification.kind
    with jobcenter_scope(event.jobcenter_id):
        event = Event.objects.with_texts().get(pk=event.pk)
        if not _still_wanted(event, kind):
            return 0
        jobcenter = Jobcenter.objects.get(pk=event.jobcenter_id)
        mail = EventMail(jobcenter, event, kind)
        ids = list(
            _recipients(event, kind)
            .filter(pk__gte=first_pk, pk__lte=last_pk)
            .values_list("pk", flat=True)
        )
        # Claimed a few at a time: a worker killed mid-batch leaves at most
        # MARK_EVERY subscribers without their mail.
        sent = 0
        for start in range(0, len(ids), MARK_EVERY):
            claim = uuid.uuid4().hex
            Delivery.objects.bulk_create(
                [
                    Delivery(subscription_id=pk, event=event, kind=kind, claim=claim)
                    for pk in ids[start : start + MARK_EVERY]
                ],
                ignore_conflicts=True,
            )
            sent += _send(event, kind, claim, jobcenter=jobcenter, mail=mail)
        return sent


def _send(event: Event, kind: str, claim: str, *, jobcenter=None, mail=None) -> int:
    """Send the mails of the rows claimed as ``claim``; failures get a retry."""
    if mail is None:
        jobcenter = Jobcenter.objects.get(pk=event.jobcenter_id)
        mail = EventMail(jobcenter, event, kind)
    rows = (
        Delivery.objects.filter(claim=claim, status=Delivery.Status.CLAIMED)
        .select_related("subscription")
        .order_by("pk")
    )
    connection = get_connection()
    sent: list[int] = []
    failed: list[int] = []
    count = 0
    try:
        connection.open()
        for row in rows.iterator(chunk_size=500):
            try:
                connection.send_messages([mail.message_for(row.subscription)])
            except Exception as error:
                _failed(row, error)
                failed.append(row.pk)
                continue
            sent.append(row.pk)
            count += 1
            if len(sent) >= MARK_EVERY:
                _mark_sent(sent)
                sent = []
    finally:
        if sent:
            _mark_sent(sent)
        connection.close()
    if failed:
        _schedule_retry(event, kind, failed)
    return count


def _mark_sent(pks: list[int]) -> None:
    Delivery.objects.filter(pk__in=pks).update(
        status=Delivery.Status.SENT, updated_at=timezone.now(), last_error=""
    )


def _failed(row: Delivery, error: Exception) -> None:
    attempts = row.attempts + 1
    dead = attempts >= settings.ALERTS_MAX_ATTEMPTS
    logger.warning(
        "alert mail %s failed (attempt %d): %s", row.pk, attempts, type(error).__name__
    )
    Delivery.objects.filter(pk=row.pk).update(
        status=Delivery.Status.DEAD if dead else Delivery.Status.FAILED,
        attempts=attempts,
        next_attempt_at=None if dead else timezone.now() + backoff(attempts),
        last_error=f"{type(error).__name__}: {error}"[:300],
        updated_at=timezone.now(),
    )


def _schedule_retry(event: Event, kind: str, pks: list[int]) -> None:
    due = (
        Delivery.objects.filter(pk__in=pks, status=Delivery.Status.FAILED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if due:
        retry_deliveries.using(run_after=due).enqueue(event.pk, kind, pks)


@task()
def retry_deliveries(event_id: int, kind: str, delivery_ids: list[int]) -> int:
    """Send failed mails again; each row is claimed anew by one run only."""
    with scopes_disabled():
        event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    with jobcenter_scope(event.jobcenter_id):
        event = Event.objects.with_texts().get(pk=event_id)
        claim = uuid.uuid4().hex
        if not _still_wanted(event, kind):
            Delivery.objects.filter(
                pk__in=delivery_ids, status=Delivery.Status.FAILED
            ).update(status=Delivery.Status.DEAD, last_error="event no longer upcoming")
            return 0
        Delivery.objects.filter(
            pk__in=delivery_ids,
            status=Delivery.Status.FAILED,
            next_attempt_at__lte=timezone.now(),
        ).update(status=Delivery.Status.CLAIMED, claim=claim, updated_at=timezone.now())
        return _send(event, kind, claim)


def enqueue_notification(event: Event, kind: str) -> Notification | None:
    """The outbox row and its task, in the caller's transaction; once per kind."""
    if Notification.objects.filter(event=event, kind=kind).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(event=event, kind=kind)
    except IntegrityError:  # a parallel publication wrote it first
        return None
    fan_out.enqueue(notification.pk)
    return notification


@task()
def sweep() -> dict:
    """Every few minutes: reminders due, dead workers' tasks, stale sign-ups."""
    from alerts.recovery import requeue_stale

    now = timezone.now()
    result = {
        "requeued": requeue_stale(),
        "reminders": queue_reminders(now),
        "purged": purge_unconfirmed(now),
    }
    schedule_sweep(now + timedelta(seconds=SWEEP_SECONDS))
    return result


def queue_reminders(now) -> int:
    """Reminders for tomorrow's published events, from ALERTS_REMINDER_HOUR."""
    local = timezone.localtime(now)
    if local.hour < settings.ALERTS_REMINDER_HOUR:
        return 0
    tomorrow = local.date() + timedelta(days=1)
    queued = 0
    with scopes_disabled():
        events = list(
            Event.objects.published()
            .filter(start__date=tomorrow)
            .exclude(
                pk__in=Notification.objects.filter(kind=Kind.REMINDER).values("event")
            )
            .values_list("pk", "jobcenter_id")
        )
    for pk, jobcenter_id in events:
        with jobcenter_scope(jobcenter_id), transaction.atomic():
            event = Event.objects.get(pk=pk)
            if enqueue_notification(event, Kind.REMINDER):
                queued += 1
    return queued


def purge_unconfirmed(now) -> int:
    """Sign-ups never confirmed are removed once their link has expired (+1 day)."""
    cutoff = now - timedelta(hours=settings.ALERTS_CONFIRM_HOURS + 24)
    with scopes_disabled():
        deleted, _ = (
            Subscription.objects.filter(consented_at__isnull=True)
            .filter(
                Q(confirmation_sent_at__lt=cutoff)
                | Q(confirmation_sent_at__isnull=True)
            )
            .delete()
        )
    return deleted


def schedule_sweep(when=None) -> None:
    """Queue the next sweep unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=sweep.module_path, status="READY"
    ).exists()
    if not waiting:
        (sweep.using(run_after=when) if when else sweep).enqueue()
