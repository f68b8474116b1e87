from django.apps import AppConfig


class QuartierConfig(AppConfig):
    """Site-wide templates, template tags, static files and system checks."""

    name = "quartier"
    verbose_name = "Quartier"

    def ready(self):
        # Connects the login signal receivers (second factor, session expiry).
        from quartier import (
            checks,  # noqa: F401 (registers the checks)
            staffauth,  # noqa: F401
        )
