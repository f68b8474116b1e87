"""Temporary stand-ins for interfaces other planning helpers are writing.

DELETE this module once ``planning.estimates.estimate_many``,
``planning.alternatives.alternatives`` and ``planning.backtest.accuracy_by_month``
are on main: ``planning.selectors`` imports the real ones first and falls back
to these only while they are missing. They follow the agreed signatures and
keep a fixed number of queries, nothing more.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Avg, Count

from events.models import Location
from planning import estimates
from planning.estimates import Estimate
from planning.models import PastDate


def estimate_many(
    candidates: list[tuple[Location, datetime, datetime]],
) -> list[Estimate]:
    """``estimate()`` for many candidates in three queries (the same simple mean)."""
    if not candidates:
        return []
    earliest = min(start for _location, start, _end in candidates)
    dates = PastDate.objects.filter(end__lte=earliest).order_by()
    programme = dates.aggregate(mean=Avg("contacts"), n=Count("pk"))
    districts = {
        row["location__district_id"]: row
        for row in dates.values("location__district_id").annotate(
            mean=Avg("contacts"), n=Count("pk")
        )
    }
    places = {
        row["location_id"]: row
        for row in dates.values("location_id").annotate(
            mean=Avg("contacts"), n=Count("pk")
        )
    }
    programme_mean = float(programme["mean"] or 0)
    none = {"mean": 0, "n": 0}
    results = []
    for location, _start, _end in candidates:
        district = districts.get(location.district_id, none)
        here = places.get(location.pk, none)
        district_mean = estimates._shrunk(
            float(district["mean"] or 0), district["n"], programme_mean
        )
        expected = estimates._shrunk(float(here["mean"] or 0), here["n"], district_mean)
        results.append(
            Estimate(
                expected=expected,
                low=estimates._poisson_quantile(expected, 0.1),
                high=estimates._poisson_quantile(expected, 0.9),
                dates_here=here["n"],
                dates_district=district["n"],
                reasons=(),
            )
        )
    return results


@dataclass(frozen=True)
class Alternative:
    location: Location
    start: datetime
    end: datetime
    estimate: Estimate
    distance_km: float | None
    reason: str


def alternatives(location, start, end, *, exclude_event=None, limit=3):
    """Other active places of the district at the same time, if expected to reach more."""
    others = list(
        Location.objects.filter(district_id=location.district_id, archived=False)
        .exclude(pk=location.pk)
        .prefetch_related("translations")[:20]
    )
    found = estimate_many([(location, start, end)] + [(o, start, end) for o in others])
    own, rest = found[0], found[1:]
    better = sorted(
        (
            Alternative(other, start, end, guess, None, "same district")
            for other, guess in zip(others, rest, strict=True)
            if guess.expected > own.expected
        ),
        key=lambda alternative: -alternative.estimate.expected,
    )
    return better[:limit]


def accuracy_by_month() -> list[tuple[date, int, float, float]]:
    """No backtest yet: nothing to show."""
    return []
