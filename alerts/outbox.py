"""Publishing an event queues its alert in the same transaction (the outbox).

Connected to the event's post_save by ``AlertsConfig.ready``: ``events`` does
not know this app. The Notification row and the task row are written by the
transaction that publishes the event (django-tasks' database backend inserts
the task row on the caller's connection), so a rolled-back publication queues
nothing and a committed one cannot lose its alert. The worker only sees both
after the commit, when the event's services and target groups are saved too.
"""

from events.models import Event


def on_event_saved(sender, instance: Event, raw=False, **kwargs) -> None:
    if raw or instance.status != Event.Status.PUBLISHED or instance.has_started():
        return
    from django.db import transaction

    from alerts.models import Kind
    from alerts.tasks import enqueue_notification

    with transaction.atomic():
        enqueue_notification(instance, Kind.NEW)
