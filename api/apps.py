from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open data API at /api/v1/: read-only, public rows only, writes nothing."""

    name = "api"
    verbose_name = _("Open data API")
