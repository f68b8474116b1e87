"""Reads for the staff pages on site (the counting page)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone

from events.models import Event, ServiceOffering, TargetGroup
from feedback.models import ContactCount


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Start of the local day and start of the next one, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def countable_events(now: datetime | None = None) -> QuerySet[Event]:
    """Published events taking place today (local time): where staff count contacts."""
    today = timezone.localdate(now or timezone.now())
    start, end = day_bounds(today)
    return (
        Event.objects.published()
        .filter(start__lt=end, end__gt=start)
        .select_related("location")
        .order_by("start", "pk")
    )


def next_countable_event(now: datetime | None = None) -> Event | None:
    """The first published event after today, for the page shown on a day without one."""
    today = timezone.localdate(now or timezone.now())
    _, tomorrow = day_bounds(today)
    return (
        Event.objects.published()
        .filter(start__gte=tomorrow)
        .select_related("location")
        .order_by("start", "pk")
        .first()
    )


def countable_services(event: Event) -> QuerySet[ServiceOffering]:
    """The event's own service topics, or every service if none was planned."""
    planned = event.services.active()
    if planned.exists():
        return planned.by_title().prefetch_related("translations")
    return ServiceOffering.objects.active().by_title().prefetch_related("translations")


@dataclass
class Totals:
    overall: int = 0
    by_group: dict[int | None, int] = field(default_factory=dict)
    by_service: dict[int | None, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "overall": self.overall,
            "groups": {str(key or ""): value for key, value in self.by_group.items()},
            "services": {
                str(key or ""): value for key, value in self.by_service.items()
            },
        }


def contact_totals(event: Event) -> Totals:
    """Conversations counted at the event, overall and per group and topic (one query)."""
    totals = Totals()
    rows = (
        ContactCount.objects.filter(event=event)
        .values("target_group_id", "service_id")
        .annotate(conversations=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        n = row["conversations"]
        totals.overall += n
        group, service = row["target_group_id"], row["service_id"]
        totals.by_group[group] = totals.by_group.get(group, 0) + n
        totals.by_service[service] = totals.by_service.get(service, 0) + n
    return totals


@dataclass(frozen=True)
class BoardRow:
    id: int | None
    label: str
    count: int


@dataclass
class Board:
    """What the counting page shows: the buttons with their running totals."""

    overall: int
    groups: list[BoardRow]
    services: list[BoardRow]
    no_group: int
    no_service: int


def count_board(event: Event) -> Board:
    """Buttons and totals for the counting page (three queries, however many counts).

    All target groups are offered (there are few, and anyone may come by).
    """
    totals = contact_totals(event)
    groups = [
        BoardRow(group.pk, group.name, totals.by_group.get(group.pk, 0))
        for group in TargetGroup.objects.active().order_by("name")
    ]
    services = [
        BoardRow(service.pk, service.title, totals.by_service.get(service.pk, 0))
        for service in countable_services(event)
    ]
    return Board(
        overall=totals.overall,
        groups=groups,
        services=services,
        no_group=totals.by_group.get(None, 0),
        no_service=totals.by_service.get(None, 0),
    )
