"""Where events happen: districts and locations."""

from typing import Self
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models.base import (
    SOURCE_LANGUAGE,
    ArchivableQuerySet,
    TranslatableArchivableQuerySet,
    TranslatedModel,
    archived_field,
    in_source_language,
    translated_fields,
)
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager


class District(JobcenterOwned):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Used in addresses such as /?bezirk=oststadt. Never change it."),
    )
    archived = archived_field()

    objects = scoped_manager(ArchivableQuerySet)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "name"],
                name="district_name_unique_per_jobcenter",
                violation_error_message=_(
                    "There is already a district with this name."
                ),
            ),
            models.UniqueConstraint(
                fields=["jobcenter", "slug"],
                name="district_slug_unique_per_jobcenter",
                violation_error_message=_(
                    "There is already a district with this slug."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LocationQuerySet(TranslatableArchivableQuerySet):
    def by_name(self) -> Self:
        return self.order_by(in_source_language(Location, "name"), "pk")


class Location(JobcenterOwned, TranslatedModel):
    class FootTraffic(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    translations = translated_fields(
        name=models.CharField(_("name"), max_length=200),
        directions=models.CharField(
            _("directions"),
            max_length=300,
            blank=True,
            help_text=_(
                "Where to find the stand, e.g. in front of the main entrance, "
                "next to the fountain."
            ),
        ),
        accessibility_notes=models.TextField(
            _("accessibility notes"),
            blank=True,
            help_text=_("E.g. ramp at the side entrance, quiet room, seating."),
        ),
    )
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
    # The way most visitors come: by bus or tram. A proper name and line
    # numbers, the same in every language.
    stop = models.CharField(
        _("nearest stop"),
        max_length=200,
        blank=True,
        help_text=_(
            "The nearest bus or tram stop and its lines, e.g. "
            "Leopoldplatz (Bus 1, 2, 6), 3 minutes on foot."
        ),
    )
    step_free = models.BooleanField(
        _("step-free access"), default=False, help_text=_("Reachable without steps.")
    )
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    foot_traffic = models.CharField(
        _("expected foot traffic"),
        max_length=10,
        choices=FootTraffic.choices,
        default=FootTraffic.MEDIUM,
        help_text=_("How many people pass by on a normal weekday."),
    )
    archived = archived_field()

    objects = scoped_manager(LocationQuerySet)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [
            models.Index(fields=["jobcenter", "district"], name="location_jc_district")
        ]
        constraints = [
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
        name = self.safe_translation_getter("name", any_language=True) or ""
        return f"{name}, {self.street}"

    def clean(self) -> None:
        super().clean()
        # One place per name and address; the name compared in German (the source).
        name = self.safe_translation_getter("name", language_code=SOURCE_LANGUAGE)
        if name and self.street and self.postcode:
            same = Location.objects.filter(
                street=self.street,
                postcode=self.postcode,
                translations__language_code=SOURCE_LANGUAGE,
                translations__name=name,
            ).exclude(pk=self.pk)
            if same.exists():
                raise ValidationError(
                    _("There is already a location of this name at this address."),
                    code="duplicate_location",
                )

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

    @property
    def route_url(self) -> str:
        """OpenStreetMap's route planner with this place as the destination.

        The start is left empty for the visitor to type (or locate) there: a
        plain link, nothing of the visitor is sent from this site.
        """
        if self.latitude is not None and self.longitude is not None:
            target = f"{self.latitude},{self.longitude}"
            return "https://www.openstreetmap.org/directions?" + urlencode(
                {"route": f";{target}"}
            )
        return "https://www.openstreetmap.org/directions?" + urlencode(
            {"to": self.address_line}
        )


class PostcodeCentre(models.Model):
    """The centre of a German postcode area: where "near 75175" is measured from.

    Reference data for the whole installation (not a Jobcenter's): loaded from
    ``events/data/postcodes_de.csv`` (GeoNames, CC BY 4.0) by a migration and
    corrected in the admin. A visitor's ``?plz=`` is looked up here, and a
    location without coordinates is placed at its own postcode's centre.
    """

    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))
        ],
    )
    place = models.CharField(_("place"), max_length=200)
    state = models.CharField(_("federal state"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        ordering = ["postcode"]
        verbose_name = _("postcode centre")
        verbose_name_plural = _("postcode centres")

    def __str__(self) -> str:
        return f"{self.postcode} {self.place}"
