"""A change to the history queues a refit of the estimate (``planning.tasks``).

Connected in ``PlanningConfig.ready()`` for past dates, contact counts and
passers-by counts. Bulk writes (``bulk_create``, ``update()``) send no signal;
an estimate notices the changed data version within a minute
(``tasks.VERSION_SECONDS``) and queues the refit then.
"""


def history_changed(sender, instance, **kwargs) -> None:
    from planning.tasks import forget_version, request_refit

    forget_version(instance.jobcenter_id)
    request_refit(instance.jobcenter_id, force=True)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from feedback.models import ContactCount
    from planning.models import PassersByCount, PastDate

    for model in (PastDate, ContactCount, PassersByCount):
        post_save.connect(
            history_changed,
            sender=model,
            dispatch_uid=f"planning-refit-{model.__name__}-save",
        )
        post_delete.connect(
            history_changed,
            sender=model,
            dispatch_uid=f"planning-refit-{model.__name__}-delete",
        )
