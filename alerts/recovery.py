"""Tasks of a worker that died: run them again.

django-tasks' database worker marks a task RUNNING when it takes it and never
looks at it again; a worker killed mid-task leaves it RUNNING for ever. A task
of ours RUNNING for longer than ALERTS_STALE_TASK_SECONDS is taken for dead:
it is marked FAILED and queued anew with the same arguments. Running a batch
twice is safe (the delivery rows decide who sends), so a task that was merely
slow costs time, never a second mail.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

PREFIX = "alerts.tasks."


def requeue_stale(older_than: int | None = None) -> int:
    seconds = settings.ALERTS_STALE_TASK_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - timedelta(seconds=seconds)
    requeued = 0
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                status="RUNNING", task_path__startswith=PREFIX, started_at__lte=cutoff
            )
        )
        for result in stale:
            DBTaskResult.objects.filter(pk=result.pk).update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="alerts.recovery.WorkerLost",
                traceback="The worker stopped while running this task; queued again.",
            )
            task = import_string(result.task_path)
            task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            requeued += 1
    return requeued
