from django.apps import AppConfig


class QuartierConfig(AppConfig):
    """Site-wide templates, template tags and static files."""

    name = "quartier"
    verbose_name = "Quartier"

    def ready(self):
        from quartier import checks  # noqa: F401 (registers the deploy checks)
        # Connects the login signal receivers (second factor, session expiry).
        from quartier import staffauth  # noqa: F401
