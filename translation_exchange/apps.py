from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationExchangeConfig(AppConfig):
    name = "translation_exchange"
    verbose_name = _("Translation exchange")
