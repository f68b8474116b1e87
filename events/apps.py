from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION, STAFF, crud


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Planning and events")

    role_permissions = {
        STAFF: [
            *crud("event"),
            *crud("location"),
            *crud("material"),
            *crud("materialhandout"),
            *crud("review"),
            *crud("reviewphoto"),
            "view_district",
            "view_targetgroup",
            "view_serviceoffering",
            "view_eventslugredirect",
        ],
        COORDINATION: [
            "view_event",
            "view_location",
            "view_material",
            "view_materialhandout",
            "view_review",
            "view_reviewphoto",
            "view_district",
            "view_targetgroup",
            "view_serviceoffering",
            "view_eventslugredirect",
        ],
    }
