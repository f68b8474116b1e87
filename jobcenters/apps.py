from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcentersConfig(AppConfig):
    name = "jobcenters"
    verbose_name = _("Jobcenters")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from jobcenters.hosts import forget_hosts
        from jobcenters.models import Host, Jobcenter

        for model in (Jobcenter, Host):
            post_save.connect(forget_hosts, sender=model)
            post_delete.connect(forget_hosts, sender=model)
