from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Planning for reach: past dates, passers-by, announcements, expected contacts.

    Sits above ``events`` and ``feedback`` and reads both; neither imports it.
    """

    name = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        # A change to the history queues a refit of the estimate.
        from planning import signals

        signals.connect()
