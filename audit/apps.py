from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION

# The models whose changes are recorded (app label, model name), in the order the
# list of changes offers them; audit/models.py registers each with its options.
TRACKED_MODELS = (
    ("events", "event"),
    ("events", "location"),
    ("events", "serviceoffering"),
    ("events", "district"),
    ("events", "targetgroup"),
    ("events", "material"),
    ("events", "materialhandout"),
    ("events", "review"),
    ("events", "reviewphoto"),
    # Their texts, one row per language (django-parler).
    ("events", "eventtranslation"),
    ("events", "locationtranslation"),
    ("events", "serviceofferingtranslation"),
    ("events", "materialtranslation"),
    ("events", "reviewtranslation"),
    ("events", "reviewphototranslation"),
    ("feedback", "reviewquote"),
    ("auth", "user"),
    ("auth", "group"),
    # Who works where in which role; the Jobcenter's host names and details.
    ("jobcenters", "membership"),
    ("jobcenters", "host"),
    ("jobcenters", "jobcenter"),
)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    role_permissions = {
        # Coordinators read the list of changes; the history views in the admin
        # follow each model's own view permission.
        COORDINATION: ["view_changes"],
    }

    def ready(self):
        from audit import signals  # noqa: F401
