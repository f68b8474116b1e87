"""Where events happen: districts and locations."""

from urllib.parse import urlencode

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models.base import ArchivableQuerySet, archived_field


class District(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Used in addresses such as /?bezirk=oststadt. Never change it."),
    )
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    class FootTraffic(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        validators=[
            RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))
        ],
    )
    city = models.CharField(_("city"), max_length=100, default="Pforzheim")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    step_free = models.BooleanField(
        _("step-free access"), default=False, help_text=_("Reachable without steps.")
    )
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("E.g. ramp at the side entrance, quiet room, seating."),
    )
    foot_traffic = models.CharField(
        _("expected foot traffic"),
        max_length=10,
        choices=FootTraffic.choices,
        default=FootTraffic.MEDIUM,
        help_text=_("How many people pass by on a normal weekday."),
    )
    archived = archived_field()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "street", "postcode"], name="location_unique_address"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="location_coordinates_valid",
                violation_error_message=_(
                    "Give both coordinates (latitude −90…90, longitude −180…180) or none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.street}"

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def map_url(self) -> str:
        """A plain link to OpenStreetMap: no embedded map, no third-party request."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = self.latitude, self.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        query = urlencode({"query": f"{self.street}, {self.postcode} {self.city}"})
        return f"https://www.openstreetmap.org/search?{query}"
