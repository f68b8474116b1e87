"""Reads for the public pages: querysets that load everything a page shows.

Each function returns a queryset whose related rows come with it
(select_related for the place, prefetch_related for the services), so a page
runs the same few queries whether it lists ten events or ten thousand. The
lists read only their page's ids and versions from them (``views.paginate``)
and take the cards from the stored pieces (``events.cards``).
"""

from datetime import date, datetime, time, timedelta
from functools import partial
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    CharField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
)
from django.utils import timezone

from events.models import District, Event, PostcodeCentre, TargetGroup
from events.nearness import nearest_first
from jobcenters.scoping import current_jobcenter_id

# The longest public event not yet over, per Jobcenter: kept an hour at most,
# forgotten when any event is saved or deleted (at once and after the commit).
LONGEST_KEY = "public-longest-upcoming"
LONGEST_SECONDS = 60 * 60


class FilterChoice(NamedTuple):
    """A district or target group as the list's filter offers it."""

    pk: int
    slug: str
    name: str

    def __str__(self) -> str:
        return self.name


def filter_choices() -> dict[str, list[FilterChoice]]:
    """The active districts and target groups by name, under the filter's
    parameter names (bezirk, zielgruppe): one query for both."""
    parts = [
        model.objects.active()
        .annotate(kind=Value(name, output_field=CharField()))
        .values_list("kind", "pk", "slug", "name")
        .order_by()
        for name, model in (("bezirk", District), ("zielgruppe", TargetGroup))
    ]
    choices = {"bezirk": [], "zielgruppe": []}
    rows = parts[0].union(parts[1], all=True).order_by("kind", "name")
    for kind, *row in rows:
        choices[kind].append(FilterChoice(*row))
    return choices


def _with_related(events: QuerySet[Event]) -> QuerySet[Event]:
    """The place, its district and the services, each with its translations.

    Translations come in one query per model (all languages, a few rows per
    object), so a page's query count stays the same in every language.
    """
    return events.select_related("location__district").with_texts()


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _longest_key(jobcenter_id: int | None) -> str:
    return f"{LONGEST_KEY}:{jobcenter_id or 0}"


def longest_upcoming(now: datetime) -> timedelta:
    """How long the longest public event not yet over lasts.

    An event still running at ``now`` started at most this long before it,
    so the list can walk the start index from there instead of from the first
    event ever held: its cost no longer grows with the past.
    """
    key = _longest_key(current_jobcenter_id())
    longest = cache.get(key)
    if longest is None:
        length = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
        longest = Event.objects.public().filter(end__gte=now).aggregate(
            longest=Max(length)
        )["longest"] or timedelta(0)
        cache.set(key, longest, LONGEST_SECONDS)
    return longest


def forget_longest(instance=None, **kwargs) -> None:
    """Signal receiver (events.apps): an event changed, work the length out again.

    Forgotten at once (the same request sees it) and after the commit (a
    request in between may have stored it from the rows before the change).
    """
    key = _longest_key(getattr(instance, "jobcenter_id", None))
    cache.delete(key)
    transaction.on_commit(partial(cache.delete, key))


def upcoming_events(
    *,
    district: FilterChoice | District | None = None,
    category: str | None = None,
    target_group: FilterChoice | TargetGroup | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    near: PostcodeCentre | None = None,
    now: datetime | None = None,
) -> QuerySet[Event]:
    """Public events not yet over, soonest first, narrowed by the list's filters.

    ``near`` (a postcode's centre, ``?plz=``) puts the nearest first instead
    (``events.nearness``), and each row carries its distance as ``nearness``.
    """
    now = now or timezone.now()
    # Redundant for the result, decisive for the plan: the start index is read
    # from the earliest start an event still running can have.
    earliest = now - longest_upcoming(now)
    events = Event.objects.public().upcoming(now).filter(start__gte=earliest)
    if district is not None:
        events = events.filter(location__district_id=district.pk)
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
                    event=OuterRef("pk"), targetgroup_id=target_group.pk
                )
            )
        )
    if date_from is not None:
        # Still running on that day counts: an event ending after midnight.
        events = events.filter(end__gt=_start_of_day(date_from))
    if date_to is not None:
        events = events.filter(start__lt=_start_of_day(date_to + timedelta(days=1)))
    if near is not None:
        return nearest_first(_with_related(events), near)
    return _with_related(events).order_by("start", "pk")


def past_events(*, now: datetime | None = None) -> QuerySet[Event]:
    """Public events that are over, the most recent first."""
    return _with_related(Event.objects.public().past(now)).order_by("-start", "-pk")


def event_for_page(slug: str, *, include_drafts: bool = False) -> Event | None:
    """The event shown at /veranstaltungen/<slug>/, with what its page needs."""
    events = Event.objects.all() if include_drafts else Event.objects.public()
    return (
        _with_related(events)
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("name"))
        )
        .filter(slug=slug)
        .first()
    )
