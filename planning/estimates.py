"""Expected contacts for a planned date: the interface the panel and pages use.

``estimate(location, start, end)`` answers from the stored fit, never fits per
request. This first version is a plain empirical-Bayes mean: the place's
earlier dates pulled towards its district's mean, the district's towards the
programme's, with a Poisson range. The full model (weekday, time of day,
passers-by, refits in the background) replaces the inside, not the interface.
"""

from dataclasses import dataclass
from datetime import datetime
from math import exp, sqrt

from django.db.models import Avg, Count
from django.utils.translation import gettext, ngettext

from events.models import Location
from planning.models import PastDate

# How many dates' worth of weight the group mean carries against a place's own.
PRIOR_DATES = 3.0


@dataclass(frozen=True)
class Estimate:
    expected: float  # mean contacts
    low: int  # 10th percentile: the 80 % range is low to high
    high: int  # 90th percentile
    dates_here: int  # earlier dates at this location
    dates_district: int  # earlier dates in the location's district
    reasons: tuple[str, ...]  # short sentences for staff, in the active language

    @property
    def range_label(self) -> str:
        return f"{self.low}–{self.high}"


def _poisson_quantile(mean: float, q: float) -> int:
    if mean <= 0:
        return 0
    k, p = 0, exp(-mean)
    total = p
    while total < q and k < 10 * mean + 50:
        k += 1
        p *= mean / k
        total += p
    return k


def _shrunk(own_mean, own_n, prior_mean) -> float:
    if not own_n:
        return prior_mean
    return (own_mean * own_n + prior_mean * PRIOR_DATES) / (own_n + PRIOR_DATES)


def estimate(location: Location, start: datetime, end: datetime) -> Estimate:
    dates = PastDate.objects.filter(end__lte=start)
    programme = dates.aggregate(mean=Avg("contacts"), n=Count("pk"))
    district = dates.filter(location__district_id=location.district_id).aggregate(
        mean=Avg("contacts"), n=Count("pk")
    )
    here = dates.filter(location=location).aggregate(
        mean=Avg("contacts"), n=Count("pk")
    )
    programme_mean = float(programme["mean"] or 0)
    district_mean = _shrunk(float(district["mean"] or 0), district["n"], programme_mean)
    expected = _shrunk(float(here["mean"] or 0), here["n"], district_mean)
    spread = sqrt(expected)
    reasons = (
        ngettext(
            "from %(count)d earlier date at this place",
            "from %(count)d earlier dates at this place",
            here["n"],
        )
        % {"count": here["n"]},
        ngettext(
            "%(count)d in the district", "%(count)d in the district", district["n"]
        )
        % {"count": district["n"]},
    )
    if not programme["n"]:
        reasons = (gettext("no earlier dates yet"),)
    return Estimate(
        expected=expected,
        low=_poisson_quantile(expected, 0.1) if spread else 0,
        high=_poisson_quantile(expected, 0.9) if spread else 0,
        dates_here=here["n"],
        dates_district=district["n"],
        reasons=reasons,
    )
