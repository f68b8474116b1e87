from django.apps import AppConfig


class QuartierConfig(AppConfig):
    """Site-wide templates, template tags and static files."""

    name = "quartier"
    verbose_name = "Quartier"
