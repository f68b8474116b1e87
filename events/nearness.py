"""Near a postcode: the list sorted by distance from a postcode the visitor typed.

No browser geolocation and no request to anyone else: the visitor types a
postcode (``?plz=75175``), it is looked up in the installation's table of
postcode centres (``PostcodeCentre``, GeoNames data shipped with the
project), and each event is placed at its location's coordinates, or, where
a location has none, at its own postcode's centre.

The order is computed by the database, so a page of a long list still reads
only its own rows: the equirectangular approximation, in degrees squared,

    (lat − lat₀)² + ((lon − lon₀) · cos φ₀)²

with cos φ₀ (the visitor's latitude) worked out here in Python. It needs only
arithmetic, so it runs the same on SQLite and PostgreSQL (no trigonometry
in SQL, no extension), and within a region (tens of kilometres) it differs
from the great-circle distance by far less than the rounding shown
("1,2 km"). Events whose place cannot be located come last.
"""

from math import cos, radians, sqrt

from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from events.geo import EARTH_RADIUS_KM
from events.models import PostcodeCentre

# Kilometres per degree of latitude (and of longitude at the equator).
KM_PER_DEGREE = radians(1) * EARTH_RADIUS_KM
# The annotation the ordering uses and the lists read (degrees squared).
NEARNESS = "nearness"


def centre_of(postcode: str) -> PostcodeCentre | None:
    """The centre of a five-digit postcode, or None if the table lacks it."""
    return PostcodeCentre.objects.filter(postcode=postcode).first()


def _squared_degrees(prefix: str, centre: PostcodeCentre):
    """The expression (lat − lat₀)² + ((lon − lon₀)·cos φ₀)² over ``prefix``'s columns."""
    lat0, lon0 = float(centre.latitude), float(centre.longitude)
    shrink = cos(radians(lat0))
    dlat = Cast(F(f"{prefix}latitude"), FloatField()) - Value(lat0)
    dlon = (Cast(F(f"{prefix}longitude"), FloatField()) - Value(lon0)) * Value(shrink)
    return dlat * dlat + dlon * dlon


def nearness(centre: PostcodeCentre, location: str = "location__"):
    """How far an event's place is from ``centre`` (degrees squared; None: unknown).

    The location's own coordinates, else its postcode's centre (one lookup
    by the unique postcode, only for a location without coordinates).
    """
    by_postcode = (
        PostcodeCentre.objects.filter(postcode=OuterRef(f"{location}postcode"))
        .annotate(**{NEARNESS: _squared_degrees("", centre)})
        .values(NEARNESS)[:1]
    )
    return Coalesce(
        _squared_degrees(location, centre),
        Subquery(by_postcode, output_field=FloatField()),
        output_field=FloatField(),
    )


def nearest_first(events: QuerySet, centre: PostcodeCentre) -> QuerySet:
    """Events ordered by distance from ``centre``, then by start; unknown places last."""
    return events.annotate(**{NEARNESS: nearness(centre)}).order_by(
        F(NEARNESS).asc(nulls_last=True), "start", "pk"
    )


def kilometres(squared_degrees: float | None) -> float | None:
    """The annotation as kilometres (None stays None)."""
    if squared_degrees is None:
        return None
    return sqrt(max(squared_degrees, 0.0)) * KM_PER_DEGREE


def distance_text(km: float) -> str:
    """ "1,2 km" in the active language's number format (one decimal)."""
    return _("%(distance)s km") % {
        "distance": number_format(round(km, 1), decimal_pos=1)
    }
