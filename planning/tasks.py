"""The estimate's refit, in the background (django-tasks, the database queue).

An estimate never fits: it reads the stored ``EstimatorFit``. When the
history changes (a past date, a contact count or a passers-by count saved or
deleted: ``planning.signals``) or an estimate finds the fit stale, a refit of
that Jobcenter is queued on the default queue, which ``manage.py
alerts_worker`` (= django-tasks' ``db_worker``, queue "default") runs; ``make
run`` starts one. Changes in quick succession (an import, taps at the stand)
queue one refit: the first queues it to run ``REFIT_DELAY`` later and the
cache remembers that it is waiting.
"""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope

logger = logging.getLogger(__name__)

REFIT_DELAY = timedelta(seconds=30)
# How long an estimate trusts the data version it last read (a query of its
# own, about six times a bare count). A signal forgets it at once; a bulk
# write (no signal) is noticed within this time.
VERSION_SECONDS = 60


def _version_key(jobcenter_id: int) -> str:
    return f"planning:data-version:{jobcenter_id}"


def known_version(jobcenter_id: int | None) -> str:
    """The history's data version, read at most once a minute (``VERSION_SECONDS``)."""
    from planning import history

    if jobcenter_id is None:
        return history.data_version()
    version = cache.get(_version_key(jobcenter_id))
    if version is None:
        version = history.data_version()
        cache.set(_version_key(jobcenter_id), version, VERSION_SECONDS)
    return version


def forget_version(jobcenter_id: int) -> None:
    cache.delete(_version_key(jobcenter_id))


def _waiting_key(jobcenter_id: int) -> str:
    return f"planning:refit-waiting:{jobcenter_id}"


def request_refit(jobcenter_id: int | None, *, force: bool = True) -> bool:
    """Queue a refit of the Jobcenter unless one is already waiting; True if queued."""
    if jobcenter_id is None:
        return False
    if not cache.add(_waiting_key(jobcenter_id), True, REFIT_DELAY.total_seconds()):
        return False
    refit.using(run_after=timezone.now() + REFIT_DELAY).enqueue(jobcenter_id, force)
    return True


@task()
def refit(jobcenter_id: int, force: bool = True) -> dict:
    """Fit the Jobcenter's history and store it; skipped when nothing changed (unless forced)."""
    from planning import estimates, history
    from planning.models import EstimatorFit

    cache.delete(_waiting_key(jobcenter_id))
    jobcenter = Jobcenter.objects.filter(pk=jobcenter_id).first()
    if jobcenter is None:
        return {"skipped": "no such Jobcenter"}
    with jobcenter_scope(jobcenter):
        version = history.data_version()
        stored = EstimatorFit.objects.first()
        if not force and stored is not None and estimates._is_current(stored, version):
            return {"skipped": "current"}
        started = timezone.now()
        fit = estimates.store_fit(version)
        seconds = (timezone.now() - started).total_seconds()
        logger.info(
            "planning: refitted %s (%d dates) in %.1f s",
            jobcenter.pk,
            fit.observations,
            seconds,
        )
        return {"observations": fit.observations, "seconds": seconds}
