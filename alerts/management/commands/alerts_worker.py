"""One worker of the shared database queue, ready for alerts.

django-tasks' ``db_worker`` with two things first: tasks of a worker that died
are queued again (``alerts.recovery``), and the periodic sweep (reminders,
recovery, purge of unconfirmed sign-ups) is scheduled if none is waiting. Run
as many as you like, on as many machines as you like.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from alerts.recovery import requeue_stale
from alerts.tasks import schedule_sweep


class Command(DbWorkerCommand):
    help = "Run a background worker for the database queue (e-mail alerts)."

    def handle(self, *args, **options):
        requeued = requeue_stale()
        if requeued:
            self.stderr.write(f"Queued {requeued} task(s) of a stopped worker again.")
        schedule_sweep()
        return super().handle(*args, **options)
