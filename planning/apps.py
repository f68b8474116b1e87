from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION, STAFF


class PlanningConfig(AppConfig):
    """Planning for reach: past dates, passers-by, announcements, expected contacts.

    Sits above ``events`` and ``feedback`` and reads both; neither imports it.
    """

    name = "planning"
    verbose_name = _("Planning")

    role_permissions = {
        # Staff plan and tick off a date's announcements in the event admin.
        STAFF: [
            "add_announcement",
            "change_announcement",
            "delete_announcement",
            "view_announcement",
        ],
        COORDINATION: ["view_announcement"],
    }
