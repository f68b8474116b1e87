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
            "view_postcodecentre",
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
            "view_postcodecentre",
        ],
    }

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from events.caching import invalidate_on_commit
        from events.defaults import on_jobcenter_created
        from jobcenters.models import Host, Jobcenter
        from jobcenters.signals import jobcenter_created

        # A new Jobcenter starts with the default target groups.
        jobcenter_created.connect(on_jobcenter_created, dispatch_uid="events-defaults")

        # Whatever staff change in this app may show on a public page.
        for model in self.get_models():
            post_save.connect(invalidate_on_commit, sender=model)
            post_delete.connect(invalidate_on_commit, sender=model)
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    invalidate_on_commit, sender=field.remote_field.through
                )
        from events.models import Event
        from events.selectors import forget_longest

        # The list reads the start index from the longest running event on.
        post_save.connect(forget_longest, sender=Event, dispatch_uid="events-longest")
        post_delete.connect(forget_longest, sender=Event, dispatch_uid="events-longest")
        # A Jobcenter's name, colour, logo and host names show on its pages.
        for model in (Jobcenter, Host):
            post_save.connect(invalidate_on_commit, sender=model)
            post_delete.connect(invalidate_on_commit, sender=model)
