"""Information material, and what of it an event brought and handed out."""

from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableQuerySet

from events.languages import language_choices
from events.models.base import (
    SOURCE_LANGUAGE,
    TranslatedModel,
    in_source_language,
    translated_fields,
)
from events.models.events import Event
from events.models.services import ServiceOffering
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager


class MaterialQuerySet(TranslatableQuerySet):
    def by_title(self) -> Self:
        return self.order_by(in_source_language(Material, "title"), "language", "pk")


class Material(JobcenterOwned, TranslatedModel):
    class Kind(models.TextChoices):
        FLYER = "flyer", _("flyer")
        BROCHURE = "brochure", _("brochure")
        FORM = "form", _("form")
        POSTER = "poster", _("poster")
        GIVEAWAY = "giveaway", _("give-away")
        OTHER = "other", _("other")

    translations = translated_fields(
        title=models.CharField(_("title"), max_length=200),
    )
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

    objects = scoped_manager(MaterialQuerySet)

    class Meta:
        ordering = ["language", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        title = self.safe_translation_getter("title", any_language=True) or ""
        return f"{title} ({self.language})"

    def clean(self) -> None:
        super().clean()
        # One material per German title and language (a flyer in Turkish and
        # the same flyer in German are two materials).
        title = self.safe_translation_getter("title", language_code=SOURCE_LANGUAGE)
        if title:
            same = Material.objects.filter(
                language=self.language,
                translations__language_code=SOURCE_LANGUAGE,
                translations__title=title,
            ).exclude(pk=self.pk)
            if same.exists():
                raise ValidationError(
                    _("This material already exists in this language."),
                    code="duplicate_material",
                )


class MaterialHandoutQuerySet(models.QuerySet):
    def by_material(self) -> Self:
        """By the material's German title, then its language."""
        return self.order_by(
            in_source_language(Material, "title", master="material_id"),
            "material__language",
            "pk",
        )


class MaterialHandout(JobcenterOwned):
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

    objects = scoped_manager(MaterialHandoutQuerySet)

    class Meta:
        ordering = ["pk"]
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
