"""Passers-by per hour at a place: counted where we can, the foot-traffic class where not.

Counts come on site (15 minutes tapped on a phone, ``/team/passanten/``) or
from a pedestrian counter's file (whole hours). Both are stored as
``PassersByCount`` rows with the minutes they cover, so a rate per hour is
``sum(count) * 60 / sum(minutes)``: a quarter hour weighs a quarter of a
counter's hour.

The estimator uses the rate as a covariate. Where a place was never counted,
its low/medium/high class from the location's form gives a documented
fallback rate (``FALLBACK_PER_HOUR``), so every place has a number.

Everything here is a pure read: ``hourly_rates`` is one query however many
locations, ``rate_at`` and ``rate_during`` use what it returned.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Sum
from django.db.models.functions import ExtractIsoWeekDay
from django.utils import timezone

from events.models import Location
from planning.models import PassersByCount

FOOT = Location.FootTraffic
# Passers-by per hour assumed for a place never counted, by its foot-traffic
# class. Rough figures from on-site counts in German mid-sized towns: a quiet
# courtyard or side street sees about one person a minute, a neighbourhood
# centre a few, a market square or shopping street in the centre fifteen.
FALLBACK_PER_HOUR: dict[str, float] = {
    FOOT.LOW: 60.0,
    FOOT.MEDIUM: 250.0,
    FOOT.HIGH: 900.0,
}
# A place without a class (should not happen: the field has a default).
FALLBACK_UNKNOWN = FALLBACK_PER_HOUR[FOOT.MEDIUM]

# Where a rate came from, best first.
COUNTED_SLOT = "counted_slot"  # this weekday and hour were counted
COUNTED_HOUR = "counted_hour"  # this hour on other weekdays
COUNTED_PLACE = "counted_place"  # other hours at this place
FOOT_TRAFFIC_CLASS = "foot_traffic_class"  # never counted: the class's fallback

Slot = tuple[int, int]  # (weekday 0 = Monday … 6 = Sunday, hour 0–23)


def hourly_rates(
    locations: Iterable[Location | int], *, since: date | None = None
) -> dict[int, dict[Slot, float]]:
    """Counted passers-by per hour, by location and (weekday, hour). One query.

    Locations never counted are missing from the answer (look them up with
    ``rate_at``, which falls back to the class). ``since`` leaves out older
    counts, e.g. from before a building site changed the square.
    """
    ids = {getattr(location, "pk", location) for location in locations}
    if not ids:
        return {}
    counts = PassersByCount.objects.filter(location_id__in=ids)
    if since is not None:
        counts = counts.filter(date__gte=since)
    rows = (
        counts.annotate(weekday=ExtractIsoWeekDay("date"))
        .values("location_id", "weekday", "hour")
        .annotate(people=Sum("count"), minutes=Sum("minutes"))
        .order_by()
    )
    rates: dict[int, dict[Slot, float]] = defaultdict(dict)
    for row in rows:
        if row["minutes"]:
            slot = (row["weekday"] - 1, row["hour"])
            rates[row["location_id"]][slot] = row["people"] * 60 / row["minutes"]
    return dict(rates)


@dataclass(frozen=True)
class Rate:
    per_hour: float
    basis: str  # COUNTED_SLOT, COUNTED_HOUR, COUNTED_PLACE or FOOT_TRAFFIC_CLASS

    @property
    def counted(self) -> bool:
        return self.basis != FOOT_TRAFFIC_CLASS


def fallback_rate(location: Location) -> float:
    return FALLBACK_PER_HOUR.get(location.foot_traffic, FALLBACK_UNKNOWN)


def rate_at(
    location: Location,
    weekday: int,
    hour: int,
    rates: dict[int, dict[Slot, float]],
) -> Rate:
    """The best rate for one hour: counted then, at that hour, at that place, or the class.

    ``rates`` is what ``hourly_rates`` returned; no query here.
    """
    counted = rates.get(location.pk)
    if counted:
        if (weekday, hour) in counted:
            return Rate(counted[(weekday, hour)], COUNTED_SLOT)
        same_hour = [rate for (_, h), rate in counted.items() if h == hour]
        if same_hour:
            return Rate(sum(same_hour) / len(same_hour), COUNTED_HOUR)
        return Rate(sum(counted.values()) / len(counted), COUNTED_PLACE)
    return Rate(fallback_rate(location), FOOT_TRAFFIC_CLASS)


def rate_during(
    location: Location,
    start: datetime,
    end: datetime,
    rates: dict[int, dict[Slot, float]],
) -> Rate:
    """The mean rate over the local hours a date covers (weighted by minutes).

    The basis is the weakest of the hours' bases, so "counted" is said only
    when every hour rests on counts at this place.
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        return rate_at(location, start.weekday(), start.hour, rates)
    order = [COUNTED_SLOT, COUNTED_HOUR, COUNTED_PLACE, FOOT_TRAFFIC_CLASS]
    total = weight = 0.0
    weakest = COUNTED_SLOT
    moment = start
    while moment < end:
        next_hour = (moment + timedelta(hours=1)).replace(
            minute=0, second=0, microsecond=0
        )
        minutes = (min(next_hour, end) - moment).total_seconds() / 60
        rate = rate_at(location, moment.weekday(), moment.hour, rates)
        total += rate.per_hour * minutes
        weight += minutes
        if order.index(rate.basis) > order.index(weakest):
            weakest = rate.basis
        moment = next_hour
    return Rate(total / weight, weakest)
