from django.apps import AppConfig


class QuartierConfig(AppConfig):
    """Site-wide templates, template tags, static files and system checks."""

    name = "quartier"
    verbose_name = "Quartier"

    def ready(self):
        # Names of the languages Django's table does not know (Leichte Sprache).
        from django.conf.locale import LANG_INFO

        from quartier.languages import EXTRA_LANG_INFO

        for code, info in EXTRA_LANG_INFO.items():
            LANG_INFO.setdefault(code, info)
        # Connects the login signal receivers (second factor, session expiry).
        from quartier import (
            checks,  # noqa: F401 (registers the checks)
            staffauth,  # noqa: F401
        )
