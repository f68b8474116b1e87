from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION, STAFF, crud


class PlanningConfig(AppConfig):
    """Planning for reach: past dates, passers-by, announcements, expected contacts.

    Sits above ``events`` and ``feedback`` and reads both; neither imports it.
    """

    name = "planning"
    verbose_name = _("Planning")

    role_permissions = {
        # Past dates and counted passers-by are what planning rests on: staff
        # count on site and import spreadsheets; staff plan and tick off a
        # date's announcements in the event admin. Coordinators read all of it
        # (as everywhere, Koordination only reads).
        STAFF: [
            *crud("pastdate"),
            *crud("passersbycount"),
            *crud("announcement"),
        ],
        COORDINATION: [
            "view_pastdate",
            "view_passersbycount",
            "view_announcement",
        ],
    }

    def ready(self) -> None:
        # A change to the history queues a refit of the estimate.
        from planning import signals

        signals.connect()
