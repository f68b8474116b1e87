"""Places, past dates and a quiet week for the planning panel's tests."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from planning import estimates
from planning.models import PastDate, SchoolHoliday
from planning.warnings import public_holidays
from tests.factories import LocationFactory

# Pforzheim's market square and points 400 m and 3 km from it.
MARKET = (48.891900, 8.704700)


def north_of(point, km):
    return (round(point[0] + km / 111.2, 6), point[1])


def place(district=None, *, at=MARKET, **kwargs):
    extra = {"district": district} if district is not None else {}
    return LocationFactory(latitude=at[0], longitude=at[1], **extra, **kwargs)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def quiet_week(state: str = "BW") -> date:
    """The Monday of a coming week without public or school holidays."""
    monday = timezone.localdate() + timedelta(days=14)
    monday -= timedelta(days=monday.weekday())
    while True:
        saturday = monday + timedelta(days=5)
        closed = public_holidays(state, monday, saturday) or (
            SchoolHoliday.objects.filter(
                state=state, first_day__lte=saturday, last_day__gte=monday
            ).exists()
        )
        if not closed:
            return monday
        monday += timedelta(days=7)


def history(location, contacts: list[int], *, before: date, hour: int = 10):
    """Past dates at a place, one a week before ``before``; the model refitted.

    (The worker refits after a change; here it happens at once.)
    """
    for weeks, count in enumerate(contacts, start=1):
        start = at(before - timedelta(weeks=weeks), hour)
        PastDate.objects.create(
            location=location,
            start=start,
            end=start + timedelta(hours=4),
            contacts=count,
        )
    estimates.store_fit()
