"""Synthetic held dates with known effects, made with a fixed seed.

Five districts of six places each; each place's true effect is its
district's (−0.4, −0.2, 0, 0.2, 0.4) plus its own (sd 0.25); place "busy" is exactly twice as
busy as place "twin" in the same district. Thursdays draw 1.5 times as many
as other days. Contacts are negative binomial (θ = 8) around 14 for a
three-hour date, in proportion to the hours.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from math import exp, log
from zoneinfo import ZoneInfo

from planning.history import Observation

BERLIN = ZoneInfo("Europe/Berlin")
THETA = 8.0
BASE = 14.0
THURSDAY = 1.5
BUSY, TWIN = 1001, 1002  # location ids of the pair (district 3)
DISTRICT_EFFECTS = (-0.4, -0.2, 0.0, 0.2, 0.4)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method in chunks (fine for the means used here)."""
    total = 0
    while lam > 30:
        total += poisson(rng, 30)
        lam -= 30
    limit, k, p = exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return total + k
        k += 1


def negative_binomial(rng: random.Random, mu: float, theta: float = THETA) -> int:
    return poisson(rng, rng.gammavariate(theta, mu / theta))


def places(seed: int = 7) -> dict[int, tuple[int, float]]:
    """Location id → (district id, true log effect)."""
    rng = random.Random(seed)
    found = {}
    for district, district_effect in zip(range(1, 6), DISTRICT_EFFECTS, strict=True):
        for n in range(6):
            found[district * 10 + n] = (district, district_effect + rng.gauss(0, 0.25))
    found[BUSY] = (3, log(2.0))
    found[TWIN] = (3, 0.0)
    return found


def held_dates(
    n: int = 1200, seed: int = 42, first: date = date(2024, 1, 8)
) -> list[Observation]:
    """n held dates over about two years, oldest first."""
    rng = random.Random(seed)
    truth = places()
    ids = list(truth)
    dates = []
    for i in range(n):
        day = first + timedelta(days=i * 730 // n)
        location = BUSY if i % 12 == 0 else TWIN if i % 12 == 6 else rng.choice(ids)
        district, effect = truth[location]
        hour = rng.choice((9, 10, 11, 13, 14, 15))
        hours = rng.choice((2, 3, 3, 4))
        start = datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)
        mu = BASE * hours / 3 * exp(effect) * (THURSDAY if day.weekday() == 3 else 1)
        dates.append(
            Observation(
                source="imported",
                pk=i + 1,
                location_id=location,
                district_id=district,
                foot_traffic="medium",
                start=start,
                end=start + timedelta(hours=hours),
                contacts=negative_binomial(rng, mu),
                passers_by_per_hour=None,
            )
        )
    return dates


def history_replace(o: Observation, **changes) -> Observation:
    """A copy of the observation with some fields changed."""
    fields = {name: getattr(o, name) for name in o.__dataclass_fields__}
    return Observation(**{**fields, **changes})
