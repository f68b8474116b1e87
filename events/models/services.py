"""What is offered, and for whom: target groups and service offerings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models.base import ArchivableQuerySet, archived_field


class TargetGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class ServiceOffering(models.Model):
    class Category(models.TextChoices):
        # The values appear in public addresses (?angebot=, /kalender/angebot/…).
        CAREER_DEVELOPMENT = "berufliche-entwicklung", _("career development")
        INTEGRATION_NETWORKS = "integration", _("integration networks")
        CHILDCARE = "kinderbetreuung", _("childcare")
        EQUAL_OPPORTUNITY = "chancengleichheit", _("equal opportunity")

    category = models.CharField(
        _("category"), max_length=40, choices=Category.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup,
        blank=True,
        related_name="services",
        verbose_name=_("target groups served"),
    )
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")

    def __str__(self) -> str:
        return self.title
