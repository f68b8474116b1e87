"""What staff should know about a planned date before they fix it.

``warnings_for(location, start, end)`` names four things, each from one rule:
a public holiday in the Jobcenter's state (the ``holidays`` library, no
query), school holidays in the state (the shipped ``SchoolHoliday`` table),
another draft or published date of the programme overlapping in the same
district, and a place never used before (no earlier event there and no
imported past date). A fixed number of queries, whatever the data.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from events.models import Event, Location
from jobcenters.models import Jobcenter
from jobcenters.scoping import active_jobcenter
from planning.models import PastDate, SchoolHoliday

DEFAULT_STATE = "BW"


@dataclass(frozen=True)
class PlanningWarning:
    kind: str  # "holiday", "school_holiday", "overlap", "new_place"
    message: str  # a sentence for staff, in the active language


def holiday_state(location: Location | None = None) -> str:
    """The state whose holidays count: the Jobcenter's, else the setting's."""
    jobcenter = active_jobcenter()
    if location is not None and (
        jobcenter is None or jobcenter.pk != location.jobcenter_id
    ):
        jobcenter = Jobcenter.objects.filter(pk=location.jobcenter_id).first()
    state = getattr(jobcenter, "state", "") or ""
    return state or getattr(settings, "PLANNING_HOLIDAY_STATE", DEFAULT_STATE)


def _holiday_language() -> str:
    return "de" if (translation.get_language() or "de").startswith("de") else "en_US"


@cache
def _public_holidays(state: str, year: int, language: str) -> dict[date, str]:
    return dict(
        holidays.country_holidays("DE", subdiv=state, years=year, language=language)
    )


def public_holidays(state: str, first: date, last: date) -> dict[date, str]:
    """The public holidays from ``first`` to ``last`` (inclusive) in ``state``."""
    language = _holiday_language()
    found = {}
    for year in range(first.year, last.year + 1):
        for day, name in _public_holidays(state, year, language).items():
            if first <= day <= last:
                found[day] = name
    return found


def days_of(start: datetime, end: datetime) -> tuple[date, date]:
    """The first and last local calendar day a date touches."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - timedelta(microseconds=1)).date()
    return first, max(first, last)


def _holiday_warnings(state, first, last) -> list[PlanningWarning]:
    return [
        PlanningWarning(
            "holiday",
            gettext(
                "%(day)s is a public holiday (%(name)s): offices and many shops are closed."
            )
            % {"day": date_format(day, "l, j. F Y"), "name": name},
        )
        for day, name in sorted(public_holidays(state, first, last).items())
    ]


def _school_holiday_warnings(state, first, last) -> list[PlanningWarning]:
    found = SchoolHoliday.objects.filter(
        state=state, first_day__lte=last, last_day__gte=first
    )
    return [
        PlanningWarning(
            "school_holiday",
            gettext(
                "School holidays (%(name)s, %(first)s to %(last)s): families may be away."
            )
            % {
                "name": holiday.name,
                "first": date_format(holiday.first_day, "j. F"),
                "last": date_format(holiday.last_day, "j. F Y"),
            },
        )
        for holiday in found
    ]


def _overlap_warnings(location, start, end, exclude_event) -> list[PlanningWarning]:
    others = (
        Event.objects.filter(
            location__district_id=location.district_id,
            status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED],
            start__lt=end,
            end__gt=start,
        )
        .select_related("location")
        .prefetch_related("translations", "location__translations")
        .order_by("start", "pk")
    )
    if exclude_event is not None:
        others = others.exclude(pk=getattr(exclude_event, "pk", exclude_event))
    warnings = []
    for other in others:
        local_start = timezone.localtime(other.start)
        local_end = timezone.localtime(other.end)
        params = {
            "title": other.title,
            "place": other.location.name,
            "day": date_format(local_start, "D j. F"),
            "start": local_start.strftime("%H:%M"),
            "end": local_end.strftime("%H:%M"),
        }
        if other.status == Event.Status.DRAFT:
            text = gettext(
                "Overlaps in the same district with the draft “%(title)s” at %(place)s, %(day)s %(start)s–%(end)s."
            )
        else:
            text = gettext(
                "Overlaps in the same district with “%(title)s” at %(place)s, %(day)s %(start)s–%(end)s."
            )
        warnings.append(PlanningWarning("overlap", text % params))
    return warnings


def _new_place_warnings(location, start, exclude_event) -> list[PlanningWarning]:
    earlier = Event.objects.not_cancelled().filter(location=location, start__lt=start)
    if exclude_event is not None:
        earlier = earlier.exclude(pk=getattr(exclude_event, "pk", exclude_event))
    if earlier.exists() or (
        PastDate.objects.filter(location=location, start__lt=start).exists()
    ):
        return []
    return [
        PlanningWarning(
            "new_place",
            gettext(
                "No date has been held here before: the estimate rests on the district "
                "and the programme only. Check the spot beforehand."
            ),
        )
    ]


def warnings_for(
    location: Location,
    start: datetime,
    end: datetime,
    *,
    exclude_event: Event | int | None = None,
) -> list[PlanningWarning]:
    """Every warning for this place and time, most serious first.

    ``exclude_event`` is the event being edited: it neither overlaps itself
    nor counts as an earlier date at its own place.
    """
    state = holiday_state(location)
    first, last = days_of(start, end)
    return [
        *_holiday_warnings(state, first, last),
        *_school_holiday_warnings(state, first, last),
        *_overlap_warnings(location, start, end, exclude_event),
        *_new_place_warnings(location, start, exclude_event),
    ]
