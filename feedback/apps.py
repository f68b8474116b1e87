from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION, STAFF


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback and reach")

    role_permissions = {
        # Staff type in paper questionnaires and count contacts on site; they do
        # not browse what visitors wrote online: the admin shows (and lets them
        # correct) only paper questionnaires.
        STAFF: [
            "add_feedback",
            "change_feedback",
            "view_feedback",
            "add_contactcount",
            "change_contactcount",
            "delete_contactcount",
            "view_contactcount",
            # Quotes in reviews: only comments whose authors agreed to publication.
            "add_reviewquote",
            "change_reviewquote",
            "delete_reviewquote",
            "view_reviewquote",
        ],
        COORDINATION: [
            "view_feedback",
            "view_contactcount",
            "view_reviewquote",
            "view_summaries",
        ],
    }
