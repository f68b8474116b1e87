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
        # count on site and import spreadsheets; coordinators, who plan, keep
        # and correct them too (and delete an import gone wrong). Staff plan
        # and tick off a date's announcements in the event admin; coordinators
        # read them.
        STAFF: [
            *crud("pastdate"),
            *crud("passersbycount"),
            *crud("announcement"),
        ],
        COORDINATION: [
            *crud("pastdate"),
            *crud("passersbycount"),
            "view_announcement",
        ],
    }
