"""What is offered, and for whom: target groups and service offerings."""

from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models.base import (
    ArchivableQuerySet,
    TranslatableArchivableQuerySet,
    TranslatedModel,
    archived_field,
    in_source_language,
    translated_fields,
)
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager


class TargetGroup(JobcenterOwned):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    archived = archived_field()

    objects = scoped_manager(ArchivableQuerySet)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "name"],
                name="targetgroup_name_unique_per_jobcenter",
                violation_error_message=_(
                    "There is already a target group with this name."
                ),
            ),
            models.UniqueConstraint(
                fields=["jobcenter", "slug"],
                name="targetgroup_slug_unique_per_jobcenter",
                violation_error_message=_(
                    "There is already a target group with this slug."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceOfferingQuerySet(TranslatableArchivableQuerySet):
    def by_title(self) -> Self:
        """By category, then by German title: the order of every list of services."""
        return self.order_by(
            "category", in_source_language(ServiceOffering, "title"), "pk"
        )


class ServiceOffering(JobcenterOwned, TranslatedModel):
    class Category(models.TextChoices):
        # The values appear in public addresses (?angebot=, /kalender/angebot/…).
        CAREER_DEVELOPMENT = "berufliche-entwicklung", _("career development")
        INTEGRATION_NETWORKS = "integration", _("integration networks")
        CHILDCARE = "kinderbetreuung", _("childcare")
        EQUAL_OPPORTUNITY = "chancengleichheit", _("equal opportunity")

    category = models.CharField(
        _("category"), max_length=40, choices=Category.choices, db_index=True
    )
    translations = translated_fields(
        title=models.CharField(_("title"), max_length=200),
        description=models.TextField(_("description"), blank=True),
    )
    target_groups = models.ManyToManyField(
        TargetGroup,
        blank=True,
        related_name="services",
        verbose_name=_("target groups served"),
    )
    archived = archived_field()

    objects = scoped_manager(ServiceOfferingQuerySet)

    class Meta:
        ordering = ["category", "pk"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")

    def __str__(self) -> str:
        return self.safe_translation_getter("title", any_language=True) or ""

    def clean(self):
        """One title per language within the Jobcenter (another may use it too)."""
        super().clean()
        language = self.get_current_language()
        title = self.safe_translation_getter("title", language_code=language)
        if not title:
            return
        taken = (
            ServiceOffering.objects.exclude(pk=self.pk)
            .filter(translations__language_code=language, translations__title=title)
            .exists()
        )
        if taken:
            raise ValidationError(
                {"title": _("There is already a service with this title.")},
                code="unique",
            )
