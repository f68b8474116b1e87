"""Reads for the API, through the events app's selectors and models.

Only what the public pages show: published and cancelled events (never
drafts), and the districts, places, services and target groups still in use
(archived ones are left out of the lists, but an event keeps showing its
place). Every queryset brings its related rows with it, so a response runs
the same few queries whatever its size.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from api.params import PAST
from events.models import (
    District,
    Event,
    Location,
    PostcodeCentre,
    ServiceOffering,
    TargetGroup,
)
from events.nearness import NEARNESS, nearest_first
from events.selectors import event_for_page, past_events, upcoming_events


def _target_groups() -> Prefetch:
    return Prefetch("target_groups", queryset=TargetGroup.objects.order_by("name"))


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def narrowed(
    events: QuerySet[Event],
    *,
    district: District | None = None,
    category: str | None = None,
    target_group: TargetGroup | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    near: PostcodeCentre | None = None,
) -> QuerySet[Event]:
    """The list page's filters on any events: the same conditions as
    ``events.selectors.upcoming_events`` (a test holds the two together)."""
    if district is not None:
        events = events.filter(location__district=district)
    if category:
        events = events.filter(
            Exists(
                Event.services.through.objects.filter(
                    event=OuterRef("pk"), serviceoffering__category=category
                )
            )
        )
    if target_group is not None:
        events = events.filter(
            Exists(
                Event.target_groups.through.objects.filter(
                    event=OuterRef("pk"), targetgroup=target_group
                )
            )
        )
    if date_from is not None:
        events = events.filter(end__gt=_start_of_day(date_from))
    if date_to is not None:
        events = events.filter(start__lt=_start_of_day(date_to + timedelta(days=1)))
    if near is not None:
        events = nearest_first(events, near)
    return events


def events(period: str, filters: dict) -> QuerySet[Event]:
    """Upcoming events as the list page has them, or past ones, most recent first."""
    if period == PAST:
        found = narrowed(past_events(), **filters)
    else:
        found = upcoming_events(**filters)
    return found.prefetch_related(_target_groups())


def event_entries(period: str, filters: dict) -> QuerySet:
    """Only the id and version of each row of ``events()``: its JSON is stored
    (api.pieces), the related rows are read for missing pieces only."""
    found = events(period, filters).prefetch_related(None)
    fields = ["pk", "updated_at"]
    if NEARNESS in found.query.annotations:  # sorted by distance (?plz=)
        fields.append(NEARNESS)
    return found.values_list(*fields, named=True)


def events_by_pk(pks: list[int]) -> QuerySet[Event]:
    """Public events by id with what the API shows of them (drafts never)."""
    return (
        Event.objects.public()
        .filter(pk__in=pks)
        .select_related("location__district")
        .with_texts()
        .prefetch_related(_target_groups())
    )


def event(slug: str) -> Event | None:
    """A public event by its slug (drafts are never found)."""
    return event_for_page(slug)


def locations() -> QuerySet[Location]:
    return (
        Location.objects.active()
        .by_name()
        .select_related("district")
        .prefetch_related("translations")
    )


def districts() -> QuerySet[District]:
    return District.objects.active().order_by("name", "pk")


def services() -> QuerySet[ServiceOffering]:
    return (
        ServiceOffering.objects.active()
        .by_title()
        .prefetch_related(
            "translations",
            Prefetch(
                "target_groups",
                queryset=TargetGroup.objects.order_by("name"),
            ),
        )
    )


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.active().order_by("name", "pk")
