from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from events.roles import COORDINATION, STAFF


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Machine translation")

    role_permissions = {
        # Both see how much of the month's budget is used; the counts are
        # written only by drafting translations.
        STAFF: ["view_machinetranslationusage"],
        COORDINATION: ["view_machinetranslationusage"],
    }
