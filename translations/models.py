"""How many characters were sent to a translation service, per month."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class MachineTranslationUsage(models.Model):
    """Characters sent in one calendar month to one service (the budget's count)."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    backend = models.CharField(_("service"), max_length=20)
    characters = models.PositiveBigIntegerField(_("characters sent"), default=0)

    class Meta:
        ordering = ["-month", "backend"]
        verbose_name = _("machine translation usage")
        verbose_name_plural = _("machine translation usage")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "backend"], name="mt_usage_one_row_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.backend}: {self.characters}"

    @staticmethod
    def month_of(day: date) -> date:
        return day.replace(day=1)
