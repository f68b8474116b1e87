from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION, STAFF


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback and reach")

    role_permissions = {
        # Staff type in paper questionnaires and count contacts on site; they do
        # not browse what visitors wrote.
        STAFF: [
            "add_feedback",
            "add_contactcount",
            "change_contactcount",
            "delete_contactcount",
            "view_contactcount",
        ],
        COORDINATION: ["view_feedback", "view_contactcount", "view_summaries"],
    }
