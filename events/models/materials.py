"""Information material, and what of it an event brought and handed out."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.languages import language_choices
from events.models.events import Event
from events.models.services import ServiceOffering


class Material(models.Model):
    class Kind(models.TextChoices):
        FLYER = "flyer", _("flyer")
        BROCHURE = "brochure", _("brochure")
        FORM = "form", _("form")
        POSTER = "poster", _("poster")
        GIVEAWAY = "giveaway", _("give-away")
        OTHER = "other", _("other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=language_choices, default="de"
    )
    service = models.ForeignKey(
        ServiceOffering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("related service"),
    )

    class Meta:
        ordering = ["title", "language"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "language"], name="material_unique_title_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class MaterialHandout(models.Model):
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="handouts",
        verbose_name=_("event"),
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.PROTECT,
        related_name="handouts",
        verbose_name=_("material"),
    )
    brought = models.PositiveIntegerField(_("quantity brought"), default=0)
    handed_out = models.PositiveIntegerField(_("quantity handed out"), default=0)

    class Meta:
        ordering = ["material__title"]
        verbose_name = _("material handout")
        verbose_name_plural = _("material handouts")
        constraints = [
            models.CheckConstraint(
                condition=Q(handed_out__lte=F("brought")),
                name="handout_within_brought",
                violation_error_message=_("More handed out than brought."),
            ),
            models.UniqueConstraint(
                fields=["event", "material"],
                name="handout_unique_material_per_event",
                violation_error_message=_(
                    "This material is already listed for the event."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material}: {self.handed_out}/{self.brought}"
