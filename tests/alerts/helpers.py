"""Running the database queue in-process, as a worker would."""

import re

from django.core import mail
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from alerts import services
from alerts.models import Subscription


def worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def run_tasks(*, include_later: bool = False, limit: int = 1000) -> int:
    """Run every ready task (and those due later, if asked); returns how many."""
    runner = worker()
    done = 0
    while done < limit:
        if include_later:
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        result = (
            DBTaskResult.objects.ready().order_by(*DBTaskResult._meta.ordering).first()
        )
        if result is None:
            return done
        result.claim(runner.worker_id)
        runner.run_task(result)
        done += 1
    return done


def link(message, name: str) -> str:
    """The path of the first link to /benachrichtigungen/<name>/ in a mail."""
    match = re.search(
        rf"https?://[^/\s]+(/[^\s\"<>]*benachrichtigungen/{name}/[^\s\"<>]+)",
        message.body,
    )
    assert match, message.body
    return match.group(1)


def subscribed(email="citizen@example.org", language="de", **filters) -> Subscription:
    """A confirmed subscription, made the way a citizen makes one."""
    values = {"district": None, "category": "", "target_group": None, "reminder": False}
    values.update(filters)
    services.subscribe(email=email, filters=values, language=language)
    run_tasks()
    subscription = Subscription.objects.get(email=email)
    services.confirm(subscription, values, language)
    mail.outbox.clear()
    return subscription
