"""A plausible two-year history for the demo, drawn from a known structure.

``seed_history`` adds, once, in the current Jobcenter's scope:

- about 200 past dates at the demo's places (``PastDate`` rows, as if imported
  from the old spreadsheet), on varied weekdays and hours, with their contacts;
- passers-by counts: a pedestrian counter's hours on the Leopoldplatz and
  15-minute counts on site at some other places (two places stay uncounted, so
  the low/medium/high fallback shows too).

Contacts follow a known multiplicative structure (``PLACE_CONTACTS`` ×
weekday × time of day × summer holidays × length of the date) with
negative-binomial noise (a Poisson count whose mean is itself gamma
distributed), from a fixed seed. The estimator's tests and the backtest can so
check it finds what was put in. The dates lie in the 104 whole weeks before
the current one: each week draws the same numbers whenever it is run, so the
history only moves along with the calendar (its weekdays stay the same).

Running it again adds nothing: the history is written in one transaction, and
skipped when its rows (``SOURCE``) are there.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from events.models import Location
from planning.models import PassersByCount, PastDate

SEED = 17
WEEKS = 104
SOURCE = "Demo: alte Terminliste (Tabelle)"

# Contacts of a four-hour date on a Wednesday morning outside the holidays,
# by place (names as in events.demo.LOCATIONS). The busy market square on the
# Leopoldplatz reaches about twice the quiet courtyard of the Quartierswerkstatt.
PLACE_CONTACTS = {
    "Quartierswerkstatt, ehemalige Stadtgärtnerei": 10.0,
    "Leopoldplatz, Stand am Brunnen": 20.0,
    "Stadtteiltreff Weststadt": 13.0,
    "Bürgerhaus Nordstadt": 12.0,
    "Wochenmarkt Brötzingen": 18.0,
    "Familienzentrum Haidach": 9.0,
    "Einkaufszentrum Südoststadt, Foyer": 16.0,
}
# How often each place was used, relative to the others.
PLACE_WEIGHT = {
    "Quartierswerkstatt, ehemalige Stadtgärtnerei": 3,
    "Leopoldplatz, Stand am Brunnen": 3,
    "Stadtteiltreff Weststadt": 2,
    "Bürgerhaus Nordstadt": 2,
    "Wochenmarkt Brötzingen": 2,
    "Familienzentrum Haidach": 2,
    "Einkaufszentrum Südoststadt, Foyer": 2,
}
# Weekday effect, Monday to Friday: Thursday best, Tuesday weakest.
WEEKDAY_EFFECT = (0.95, 0.85, 1.0, 1.2, 1.05)
# Starting at 13:00 or later (afternoon) against the morning.
AFTERNOON_EFFECT = 0.75
# School summer holidays: families away, fewer contacts.
SUMMER_HOLIDAY_EFFECT = 0.6
# Negative-binomial shape: variance = mean + mean² / SHAPE.
SHAPE = 8.0
# Start hours (morning twice as common as afternoon) and lengths in hours.
STARTS = (9, 10, 10, 10, 11, 13, 14, 14)
LENGTHS = (3, 4, 4, 4, 5)

# Passers-by per hour at midday on a weekday (the truth the counts are drawn
# from), and whether the place was counted: by a counter, on site, or never.
PLACE_PASSERS = {
    "Quartierswerkstatt, ehemalige Stadtgärtnerei": (70.0, "on_site"),
    "Leopoldplatz, Stand am Brunnen": (950.0, "counter"),
    "Stadtteiltreff Weststadt": (220.0, "on_site"),
    "Bürgerhaus Nordstadt": (180.0, None),
    "Wochenmarkt Brötzingen": (700.0, "on_site"),
    "Familienzentrum Haidach": (80.0, None),
    "Einkaufszentrum Südoststadt, Foyer": (600.0, "on_site"),
}
# Passers-by through the day, relative to the midday figure above.
HOUR_PROFILE = {
    8: 0.5,
    9: 0.65,
    10: 0.8,
    11: 0.95,
    12: 1.0,
    13: 0.95,
    14: 0.85,
    15: 0.85,
    16: 0.95,
    17: 0.9,
    18: 0.6,
    19: 0.4,
}
SATURDAY_PASSERS = 1.4
COUNTER_WEEKS = 8  # the counter's file covers the last eight weeks
ON_SITE_SHARE = 0.3  # dates at counted places where someone counted 15 minutes
SPREADSHEET_PASSERS_SHARE = 0.25  # rows whose spreadsheet line has passers-by

# Baden-Württemberg's summer school holidays (first and last day).
SUMMER_HOLIDAYS = {
    2022: (date(2022, 7, 28), date(2022, 9, 10)),
    2023: (date(2023, 7, 27), date(2023, 9, 9)),
    2024: (date(2024, 7, 25), date(2024, 9, 7)),
    2025: (date(2025, 7, 31), date(2025, 9, 13)),
    2026: (date(2026, 7, 30), date(2026, 9, 12)),
    2027: (date(2027, 7, 29), date(2027, 9, 11)),
    2028: (date(2028, 7, 27), date(2028, 9, 9)),
}


@dataclass(frozen=True)
class Seeded:
    past_dates: int = 0
    counts: int = 0


def in_summer_holidays(day: date) -> bool:
    first, last = SUMMER_HOLIDAYS.get(
        day.year, (date(day.year, 7, 28), date(day.year, 9, 10))
    )
    return first <= day <= last


def easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def is_public_holiday(day: date) -> bool:
    """Baden-Württemberg's public holidays, and the days between the years."""
    if (day.month, day.day) in {(1, 1), (1, 6), (5, 1), (10, 3), (11, 1)}:
        return True
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 6):
        return True  # Christmas to Epiphany: no dates
    sunday = easter(day.year)
    return (day - sunday).days in {-2, 1, 39, 50, 60}


def expected_contacts(place: str, start: datetime, hours: float) -> float:
    """The structure's mean contacts for a date (no noise)."""
    day = timezone.localtime(start)
    mean = PLACE_CONTACTS[place] * WEEKDAY_EFFECT[day.weekday()] * hours / 4
    if day.hour >= 13:
        mean *= AFTERNOON_EFFECT
    if in_summer_holidays(day.date()):
        mean *= SUMMER_HOLIDAY_EFFECT
    return mean


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: by inversion for contacts, normal beyond 50 (passers-by)."""
    if mean <= 0:
        return 0
    if mean > 50:  # exp(-mean) would underflow soon; the normal is close here
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    k, p = 0, math.exp(-mean)
    total, u = p, rng.random()
    while u > total and k < 10 * mean + 100:
        k += 1
        p *= mean / k
        total += p
    return k


def negative_binomial(rng: random.Random, mean: float, shape: float = SHAPE) -> int:
    return poisson(rng, mean * rng.gammavariate(shape, 1 / shape))


def passers_per_hour(place: str, day: date, hour: int) -> float:
    midday, _how = PLACE_PASSERS[place]
    rate = midday * HOUR_PROFILE.get(hour, 0.3)
    if day.weekday() == 5:
        rate *= SATURDAY_PASSERS
    return rate


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def first_monday(today: date) -> date:
    return today - timedelta(days=today.weekday() + 7 * WEEKS)


def _places(locations: Sequence[Location]) -> list[tuple[Location, str]]:
    known = [(location, location.name) for location in locations]
    return [(location, name) for location, name in known if name in PLACE_CONTACTS]


def _past_dates(places, monday: date):
    """One to three dates a week at places drawn by their weights."""
    weights = [PLACE_WEIGHT[name] for _location, name in places]
    rows, on_site = [], []
    for week in range(WEEKS):
        week_rng = random.Random(f"{SEED}-{week}")
        used = set()
        for _ in range(week_rng.choice((1, 2, 2, 2, 3))):
            location, name = week_rng.choices(places, weights)[0]
            day = monday + timedelta(days=7 * week + week_rng.randrange(5))
            hour, hours = week_rng.choice(STARTS), week_rng.choice(LENGTHS)
            if is_public_holiday(day) or (location.pk, day) in used:
                continue
            used.add((location.pk, day))
            start = berlin(day, hour)
            contacts = negative_binomial(
                week_rng, expected_contacts(name, start, hours)
            )
            passers = None
            if week_rng.random() < SPREADSHEET_PASSERS_SHARE:
                passers = sum(
                    poisson(week_rng, passers_per_hour(name, day, h))
                    for h in range(hour, hour + hours)
                )
            rows.append(
                PastDate(
                    location=location,
                    start=start,
                    end=start + timedelta(hours=hours),
                    contacts=contacts,
                    passers_by=passers,
                    title=f"Jobcenter im Quartier {location.district.name}",
                    source=SOURCE,
                )
            )
            if (
                PLACE_PASSERS[name][1] == "on_site"
                and week_rng.random() < ON_SITE_SHARE
            ):
                count_hour = hour + 1
                on_site.append(
                    PassersByCount(
                        location=location,
                        date=day,
                        hour=count_hour,
                        minutes=15,
                        count=poisson(
                            week_rng, passers_per_hour(name, day, count_hour) / 4
                        ),
                        source=PassersByCount.Source.ON_SITE,
                    )
                )
    return rows, on_site


def _counter_hours(places, today: date, rng: random.Random):
    """A laser counter's file: every hour 8–19, Monday to Saturday, eight weeks."""
    rows = []
    for location, name in places:
        if PLACE_PASSERS[name][1] != "counter":
            continue
        first = today - timedelta(days=today.weekday() + 7 * COUNTER_WEEKS)
        for offset in range(7 * COUNTER_WEEKS):
            day = first + timedelta(days=offset)
            if day.weekday() == 6 or is_public_holiday(day):
                continue
            for hour in HOUR_PROFILE:
                rows.append(
                    PassersByCount(
                        location=location,
                        date=day,
                        hour=hour,
                        minutes=60,
                        count=negative_binomial(
                            rng, passers_per_hour(name, day, hour), shape=30.0
                        ),
                        source=PassersByCount.Source.COUNTER,
                    )
                )
    return rows


@transaction.atomic
def seed_history(base: dict, *, today: date | None = None) -> Seeded:
    """The demo's two years of past dates and its passers-by counts (once)."""
    if PastDate.objects.filter(source=SOURCE).exists():
        return Seeded()
    today = today or timezone.localdate()
    places = _places(base["locations"])
    if not places:
        return Seeded()
    rng = random.Random(SEED)
    past, on_site = _past_dates(places, first_monday(today))
    counter = _counter_hours(places, today, rng)
    PastDate.objects.bulk_create(past, batch_size=1000)
    PassersByCount.objects.bulk_create([*on_site, *counter], batch_size=1000)
    return Seeded(past_dates=len(past), counts=len(on_site) + len(counter))
