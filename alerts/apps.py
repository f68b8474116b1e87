from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION


class AlertsConfig(AppConfig):
    """E-mail alerts for new dates; hooks into events by signals (events never imports it)."""

    name = "alerts"
    verbose_name = _("E-mail alerts")
    # Coordinators see the outbox and the dead-letter list (addresses masked);
    # nobody edits them by hand, and no role reads the subscribers' addresses.
    role_permissions = {COORDINATION: ["view_notification", "view_delivery"]}

    def ready(self):
        from django.db.models.signals import post_save

        from alerts.outbox import on_event_saved
        from events.models import Event

        post_save.connect(on_event_saved, sender=Event, dispatch_uid="alerts-outbox")
