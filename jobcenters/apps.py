from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcentersConfig(AppConfig):
    name = "jobcenters"
    verbose_name = _("Jobcenters")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jobcenters.hosts import forget_hosts

        # Only what decides which Jobcenter a host name serves; a membership
        # does not (and changes far more often).
        for model in (self.get_model("Jobcenter"), self.get_model("Host")):
            post_save.connect(forget_hosts, sender=model)
            post_delete.connect(forget_hosts, sender=model)
