"""Better choices for a planned date: nearby places, other times in the same week.

Candidates are the active places within ``PLANNING_ALTERNATIVE_RADIUS_KM``
(by their coordinates) or in the same district, and the morning and afternoon
slots of the same week (Monday to Saturday, the planned duration, no public or
school holidays, not in the past). Each is estimated by ``planning.estimates``;
only those expected to reach more people than the planned date are offered,
best first, one per place, and none that would clash with another date in
its district. A fixed number of queries: the places are capped (nearest
first) and the estimates made in one batch (``estimate_many``).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from math import cos, radians

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

from events.geo import distance_km as geo_distance_km
from events.models import Event, Location
from planning import estimates
from planning.models import SchoolHoliday
from planning.warnings import days_of, holiday_state, public_holidays

DEFAULT_RADIUS_KM = 1.5
# The nearest places considered: bounds the work and the queries.
DEFAULT_PLACES = 12
# Local start times of the morning and afternoon slots.
DEFAULT_SLOT_STARTS = ("10:00", "14:00")
KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Alternative:
    location: Location
    start: datetime
    end: datetime
    estimate: "estimates.Estimate"
    distance_km: float | None  # None: the same place, or no coordinates
    reason: str  # e.g. "400 m away, Thursday 10:00–14:00"


def radius_km() -> float:
    return float(getattr(settings, "PLANNING_ALTERNATIVE_RADIUS_KM", DEFAULT_RADIUS_KM))


def _slot_starts() -> list[time]:
    starts = getattr(settings, "PLANNING_SLOT_STARTS", DEFAULT_SLOT_STARTS)
    return [time.fromisoformat(value) for value in starts]


def _distance(a: Location, b: Location) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return geo_distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def nearby_places(location: Location) -> list[tuple[Location, float | None]]:
    """Active places within the radius or in the same district, nearest first."""
    radius = radius_km()
    near = Q(district_id=location.district_id)
    if location.latitude is not None and location.longitude is not None:
        lat, lon = float(location.latitude), float(location.longitude)
        dlat = radius / KM_PER_DEGREE
        dlon = radius / (KM_PER_DEGREE * max(cos(radians(lat)), 0.01))
        near |= Q(
            latitude__range=(lat - dlat, lat + dlat),
            longitude__range=(lon - dlon, lon + dlon),
        )
    places = (
        Location.objects.active()
        .filter(near)
        .exclude(pk=location.pk)
        .select_related("district")
        .prefetch_related("translations")
    )
    found = []
    for place in places:
        distance = _distance(location, place)
        if place.district_id == location.district_id or (
            distance is not None and distance <= radius
        ):
            found.append((place, distance))
    found.sort(key=lambda item: (item[1] is None, item[1] or 0, item[0].pk))
    places_cap = int(getattr(settings, "PLANNING_ALTERNATIVE_PLACES", DEFAULT_PLACES))
    return found[:places_cap]


def week_slots(start: datetime, end: datetime, state: str) -> list[datetime]:
    """Other start times in the planned date's week: Mon–Sat, morning/afternoon.

    Public and school holidays and times already past are left out.
    """
    local = timezone.localtime(start)
    monday = local.date() - timedelta(days=local.weekday())
    saturday = monday + timedelta(days=5)
    closed = set(public_holidays(state, monday, saturday))
    for holiday in SchoolHoliday.objects.filter(
        state=state, first_day__lte=saturday, last_day__gte=monday
    ):
        day = max(holiday.first_day, monday)
        while day <= min(holiday.last_day, saturday):
            closed.add(day)
            day += timedelta(days=1)
    now = timezone.now()
    slots = []
    for offset in range(6):
        day = monday + timedelta(days=offset)
        if day in closed:
            continue
        for at in _slot_starts():
            slot = timezone.make_aware(datetime.combine(day, at))
            if slot > now and slot != start:
                slots.append(slot)
    return slots


def _busy(locations, week_start, week_end, exclude_event):
    """Dates (draft or published) in the week, by district: to avoid clashes."""
    events = Event.objects.filter(
        status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED],
        location__district_id__in={place.district_id for place in locations},
        start__lt=week_end,
        end__gt=week_start,
    )
    if exclude_event is not None:
        events = events.exclude(pk=getattr(exclude_event, "pk", exclude_event))
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for district_id, other_start, other_end in events.values_list(
        "location__district_id", "start", "end"
    ):
        busy.setdefault(district_id, []).append((other_start, other_end))
    return busy


def estimate_all(candidates) -> list:
    """One estimate per (location, start, end), in one batch (a fixed number of queries)."""
    return list(estimates.estimate_many(candidates))


def _distance_label(distance: float) -> str:
    if distance < 1:
        return gettext("%(metres)s m away") % {
            "metres": number_format(max(10, round(distance * 1000, -1)), 0)
        }
    return gettext("%(km)s km away") % {"km": number_format(distance, 1)}


def _when_label(start: datetime, end: datetime) -> str:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    return (
        f"{date_format(local_start, 'l j. F')}, {local_start:%H:%M}–{local_end:%H:%M}"
    )


def _reason(same_place: bool, same_time: bool, distance, start, end) -> str:
    if same_place:
        return gettext("same place, %(when)s") % {"when": _when_label(start, end)}
    where = (
        _distance_label(distance)
        if distance is not None
        else gettext("in the same district")
    )
    if same_time:
        return gettext("%(where)s, same time") % {"where": where}
    return f"{where}, {_when_label(start, end)}"


def planned_and_alternatives(
    location: Location,
    start: datetime,
    end: datetime,
    *,
    exclude_event: Event | int | None = None,
    limit: int = 3,
):
    """The planned date's estimate and up to ``limit`` better alternatives."""
    duration = end - start
    places = nearby_places(location)
    state = holiday_state(location)
    slots = week_slots(start, end, state)
    # (location, start, distance): the planned date comes first.
    candidates = [(location, start, None)]
    candidates += [(location, slot, None) for slot in slots]
    candidates += [(place, start, distance) for place, distance in places]
    candidates += [
        (place, slot, distance) for place, distance in places for slot in slots
    ]
    first, _last = days_of(start, end)
    monday = timezone.make_aware(
        datetime.combine(first - timedelta(days=first.weekday()), time.min)
    )
    busy = _busy(
        [location, *(place for place, _d in places)],
        min(monday, start),
        max(monday + timedelta(days=7), end) + duration,
        exclude_event,
    )

    def clashes(place, slot_start):
        slot_end = slot_start + duration
        return any(
            other_start < slot_end and other_end > slot_start
            for other_start, other_end in busy.get(place.district_id, [])
        )

    kept = [candidates[0]] + [
        candidate
        for candidate in candidates[1:]
        if not clashes(candidate[0], candidate[1])
    ]
    found = estimate_all(
        [(place, slot_start, slot_start + duration) for place, slot_start, _d in kept]
    )
    planned = found[0]
    better = [
        (estimate, place, slot_start, distance)
        for (place, slot_start, distance), estimate in zip(
            kept[1:], found[1:], strict=True
        )
        if estimate.expected > planned.expected
    ]
    # Best first; at equal reach the smaller change (same time, nearer, sooner).
    better.sort(
        key=lambda item: (
            -item[0].expected,
            item[2] != start,
            item[3] if item[3] is not None else 0,
            item[2],
        )
    )
    chosen, seen = [], set()
    for estimate, place, slot_start, distance in better:
        if place.pk in seen:
            continue
        seen.add(place.pk)
        chosen.append(
            Alternative(
                location=place,
                start=slot_start,
                end=slot_start + duration,
                estimate=estimate,
                distance_km=distance,
                reason=_reason(
                    place.pk == location.pk,
                    slot_start == start,
                    distance,
                    slot_start,
                    slot_start + duration,
                ),
            )
        )
        if len(chosen) == limit:
            break
    return planned, chosen


def alternatives(
    location: Location,
    start: datetime,
    end: datetime,
    *,
    exclude_event: Event | int | None = None,
    limit: int = 3,
) -> list[Alternative]:
    """Up to ``limit`` alternatives expected to reach more people, best first."""
    return planned_and_alternatives(
        location, start, end, exclude_event=exclude_event, limit=limit
    )[1]
