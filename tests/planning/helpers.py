"""Shared by the estimator's tests: synthetic history in the database, the queue run."""

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from planning.models import PastDate
from tests.factories import DistrictFactory, LocationFactory
from tests.planning import synthetic


def store_synthetic(n: int = 300, seed: int = 42) -> dict:
    """The synthetic history as past dates; returns synthetic id → Location."""
    truth = synthetic.places()
    districts = {k: DistrictFactory(name=f"Stadtteil {k}") for k in range(1, 6)}
    places = {
        key: LocationFactory(district=districts[district])
        for key, (district, _effect) in truth.items()
    }
    dates = synthetic.held_dates(n, seed=seed)
    PastDate.objects.bulk_create(
        PastDate(
            location=places[o.location_id],
            start=o.start,
            end=o.end,
            contacts=o.contacts,
        )
        for o in dates
    )
    return places


def run_refits() -> int:
    """Run the queued refits now (also those waiting for their delay)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    done = 0
    queued = DBTaskResult.objects.filter(
        task_path="planning.tasks.refit", status="READY"
    )
    queued.update(run_after=timezone.now())
    for result in list(queued):
        result.claim(worker.worker_id)
        worker.run_task(result)
        done += 1
    return done
