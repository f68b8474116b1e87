"""The held dates the estimate learns from: one observation per date, in date order.

Two sources, read with a fixed number of queries whatever their size:

- ``PastDate``: dates held before Quartier, imported from a spreadsheet.
- Events held with Quartier: published, ended, at a location, with at least one
  ``feedback.ContactCount`` (the sum of ``quantity`` is the date's contacts). An
  event without a single count is left out: nobody can tell "nobody came" from
  "nobody counted", and a false zero would drag its place down.

A past date at the same place and start as such an event is the same date
imported twice (e.g. a spreadsheet that includes Quartier's own dates): the
event's count wins.

Passers-by per hour, where known: the counts of ``PassersByCount`` for the
location, weekday and hours the date covered; else the date's own
``passers_by`` divided by its duration; else ``None`` (the model then uses the
place's other figures or its foot-traffic class, see ``planning.estimates``).

Note: the "passersby" helper's ``planning/passers_by.py`` (``hourly_rates()``)
was not on main when this was written; ``hourly_rates`` below is a minimal
private version of the same idea, to be replaced by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from hashlib import sha1

from django.db.models import CharField, Count, Max, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, ExtractIsoWeekDay
from django.utils import timezone

from events.models import Event
from feedback.models import ContactCount
from planning.models import PassersByCount, PastDate

MORNING, MIDDAY, AFTERNOON, EVENING = "morning", "midday", "afternoon", "evening"
TIMES_OF_DAY = (MORNING, MIDDAY, AFTERNOON, EVENING)
WINTER, SPRING, SUMMER, AUTUMN = "winter", "spring", "summer", "autumn"
SEASONS = (WINTER, SPRING, SUMMER, AUTUMN)


def time_of_day(start: datetime, end: datetime) -> str:
    """By the local middle of the date: before 11, 11–14, 14–17, from 17 o'clock."""
    middle = start + (end - start) / 2
    hour = middle.hour + middle.minute / 60
    if hour < 11:
        return MORNING
    if hour < 14:
        return MIDDAY
    if hour < 17:
        return AFTERNOON
    return EVENING


def season(day: date) -> str:
    """Meteorological seasons: winter is December to February."""
    return SEASONS[(day.month % 12) // 3]


def hours_covered(start: datetime, end: datetime) -> list[int]:
    """The local clock hours a date touches (10:30–12:00 covers 10 and 11)."""
    last = end.hour if (end.minute or end.second) else end.hour - 1
    if end.date() > start.date():
        last = 23
    return list(range(start.hour, max(start.hour, last) + 1))


@dataclass(frozen=True, slots=True)
class Observation:
    """One held date, in local time (Europe/Berlin)."""

    source: str  # "imported" (a PastDate) or "quartier" (an Event)
    pk: int
    location_id: int
    district_id: int
    foot_traffic: str  # the location's low/medium/high class
    start: datetime
    end: datetime
    contacts: int
    passers_by_per_hour: float | None

    @property
    def weekday(self) -> int:  # 0 Monday … 6 Sunday
        return self.start.weekday()

    @property
    def time_of_day(self) -> str:
        return time_of_day(self.start, self.end)

    @property
    def duration_hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    @property
    def season(self) -> str:
        return season(self.start.date())


def hourly_rates(location_ids=None) -> dict[tuple[int, int, int], float]:
    """Counted passers-by per hour, by (location, weekday 0–6, hour): one query.

    Quarter-hour counts and whole hours are pooled by the minutes counted:
    60 × (all people counted) / (all minutes counted).
    """
    counts = PassersByCount.objects.all()
    if location_ids is not None:
        counts = counts.filter(location_id__in=list(location_ids))
    rows = (
        counts.annotate(iso_day=ExtractIsoWeekDay("date"))
        .values("location_id", "iso_day", "hour")
        .annotate(people=Sum("count"), minutes=Sum("minutes"))
        .order_by()
    )
    return {
        (row["location_id"], row["iso_day"] - 1, row["hour"]): 60
        * row["people"]
        / row["minutes"]
        for row in rows
        if row["minutes"]
    }


def rate_for(
    rates: dict[tuple[int, int, int], float],
    location_id: int,
    start: datetime,
    end: datetime,
) -> float | None:
    """The mean counted rate over the hours a date covers, if any was counted."""
    found = [
        rates[key]
        for hour in hours_covered(start, end)
        if (key := (location_id, start.weekday(), hour)) in rates
    ]
    return sum(found) / len(found) if found else None


def _held_events():
    """Published, ended events at a place with at least one contact counted."""
    return (
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            location__isnull=False,
            start__isnull=False,
            end__lte=timezone.now(),
        )
        .annotate(total=Sum("contacts__quantity"))
        .filter(total__gt=0)
        .values(
            "pk",
            "location_id",
            "location__district_id",
            "location__foot_traffic",
            "start",
            "end",
            "total",
        )
        .order_by()
    )


def observations() -> list[Observation]:
    """Every held date, oldest first: three queries."""
    rates = hourly_rates()
    local = timezone.localtime
    found: dict[tuple[int, datetime], Observation] = {}
    for row in _held_events():
        start, end = local(row["start"]), local(row["end"])
        if end <= start:
            continue
        found[(row["location_id"], row["start"])] = Observation(
            source="quartier",
            pk=row["pk"],
            location_id=row["location_id"],
            district_id=row["location__district_id"],
            foot_traffic=row["location__foot_traffic"],
            start=start,
            end=end,
            contacts=int(row["total"]),
            passers_by_per_hour=rate_for(rates, row["location_id"], start, end),
        )
    past = PastDate.objects.values(
        "pk",
        "location_id",
        "location__district_id",
        "location__foot_traffic",
        "start",
        "end",
        "contacts",
        "passers_by",
    ).order_by()
    for row in past:
        key = (row["location_id"], row["start"])
        if key in found:
            continue  # the same date held with Quartier: its own count wins
        start, end = local(row["start"]), local(row["end"])
        rate = rate_for(rates, row["location_id"], start, end)
        if rate is None and row["passers_by"] is not None:
            rate = row["passers_by"] / ((end - start).total_seconds() / 3600)
        found[key] = Observation(
            source="imported",
            pk=row["pk"],
            location_id=row["location_id"],
            district_id=row["location__district_id"],
            foot_traffic=row["location__foot_traffic"],
            start=start,
            end=end,
            contacts=row["contacts"],
            passers_by_per_hour=rate,
        )
    return sorted(found.values(), key=lambda o: (o.start, o.source, o.pk))


def data_version() -> str:
    """A short hash naming the history as it is now: one query, one scan per table.

    Count, highest id and sum of the contacts of past dates; count and highest
    id of contact counts and passers-by counts. An edit that keeps all of these
    (a count's quantity changed in the admin) is caught by the save signal,
    which refits regardless (``planning.tasks``).
    """

    def scan(queryset, *aggregates):
        """One scan of a table: its aggregates joined into one text."""
        parts = []
        for aggregate in aggregates:
            parts += [Cast(aggregate, CharField()), Value(":")]
        return Subquery(
            queryset.values("jobcenter")
            .annotate(v=Concat(*parts, output_field=CharField()))
            .values("v")
            .order_by()[:1]
        )

    from jobcenters.models import Jobcenter
    from jobcenters.scoping import current_jobcenter_id

    figures = (
        Jobcenter.objects.filter(pk=current_jobcenter_id())
        .annotate(
            past=scan(PastDate.objects.all(), Count("pk"), Max("pk"), Sum("contacts")),
            counted=scan(ContactCount.objects.all(), Count("pk"), Max("pk")),
            passers=scan(
                PassersByCount.objects.all(), Count("pk"), Max("pk"), Sum("count")
            ),
        )
        .values_list("past", "counted", "passers")
        .order_by()
        .first()
    )
    text = ":".join(str(value or 0) for value in figures or ())
    return sha1(text.encode()).hexdigest()[:16]


def programme_mean() -> tuple[float, int]:
    """Mean contacts per held date and how many: the answer before any fit (two queries)."""
    past = PastDate.objects.aggregate(n=Count("pk"), total=Coalesce(Sum("contacts"), 0))
    held = ContactCount.objects.filter(
        event__status=Event.Status.PUBLISHED,
        event__location__isnull=False,
        event__start__isnull=False,
        event__end__lte=timezone.now(),
    ).aggregate(n=Count("event", distinct=True), total=Sum("quantity"))
    n = past["n"] + (held["n"] or 0)
    total = past["total"] + (held["total"] or 0)
    return (total / n if n else 0.0, n)


def pending_end(now: datetime) -> datetime | None:
    """The earliest end still to come of a counted date (it joins the history then): one query."""
    return (
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            location__isnull=False,
            start__isnull=False,
            end__gt=now,
            contacts__isnull=False,
        )
        .order_by("end")
        .values_list("end", flat=True)
        .first()
    )
