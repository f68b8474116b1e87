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
        # passersby: staff count on site and correct counts; coordinators count too.
        STAFF: [*crud("passersbycount")],
        COORDINATION: ["add_passersbycount", "view_passersbycount"],
    }
