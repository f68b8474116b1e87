from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcentersConfig(AppConfig):
    name = "jobcenters"
    verbose_name = _("Jobcenters")

    # Read by setup_roles (events.roles): the group names of ROLE_GROUPS.
    # Koordination keeps its own Jobcenter's identity and legal details up to
    # date; the admin limits both rights to the Jobcenter of the request.
    role_permissions = {
        "Koordination": ["view_jobcenter", "change_jobcenter"],
    }

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jobcenters.hosts import forget_hosts
        from jobcenters.models import Host, Jobcenter

        # Only what decides which Jobcenter a host name serves; a membership
        # does not (and changes far more often).
        for model in (Jobcenter, Host):
            post_save.connect(forget_hosts, sender=model)
            post_delete.connect(forget_hosts, sender=model)
