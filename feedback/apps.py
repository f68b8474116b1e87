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

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from events.caching import invalidate_on_commit

        # A quote chosen or removed changes the review's public page. New
        # feedback does not: the live figures may lag PUBLIC_CACHE_SECONDS.
        ReviewQuote = self.get_model("ReviewQuote")
        post_save.connect(invalidate_on_commit, sender=ReviewQuote)
        post_delete.connect(invalidate_on_commit, sender=ReviewQuote)
