"""Queries for the coordinators' planning pages: plain data, aggregated in the database.

``channel_report()`` sets each announcement channel against the visitors'
answers to "how did you hear of us" and the contacts, across held events;
``planning_overview()`` gathers the planning page: coming dates with their
expected contacts, the low ones with their best alternative, districts without
a date for a long time, and the model's accuracy so far. Each runs a fixed
number of queries however many events there are (see docs/planning.md).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Trim
from django.utils import timezone

from events.models import District, Event
from feedback.models import ContactCount, Feedback
from feedback.summaries import Filters, held_events
from planning.alternatives import alternatives
from planning.backtest import accuracy_by_month
from planning.estimates import Estimate, estimate_many
from planning.models import Announcement, PastDate

Channel = Announcement.Channel

# Which answer to "how did you hear of us" belongs to which announcement channel.
# Press and e-mail alerts have no answer of their own in the questionnaire:
# counting "other" or "website" for them would credit them with what other
# channels brought (and count those answers twice), so they are judged by the
# contacts alone.
FEEDBACK_ANSWER: dict[str, str | None] = {
    Channel.POSTER: Feedback.Channel.POSTER,
    Channel.PARTNER: Feedback.Channel.PARTNER,
    Channel.LETTER: Feedback.Channel.LETTER,
    Channel.SOCIAL_MEDIA: Feedback.Channel.SOCIAL_MEDIA,
    Channel.WEBSITE: Feedback.Channel.WEBSITE,
    Channel.PRESS: None,
    Channel.EMAIL_ALERTS: None,
    Channel.OTHER: None,
}
# Channels whose "where or to whom" names places worth comparing.
PLACE_CHANNELS = (Channel.POSTER, Channel.PARTNER, Channel.LETTER)

DEFAULT_LOW_REACH_THRESHOLD = 10
DEFAULT_DISTRICT_GAP_DAYS = 90
# Flagged dates whose alternatives the page looks up (soonest first): each
# lookup costs the alternatives' own few queries, so the page stays bounded.
DEFAULT_PAGE_ALTERNATIVES = 10
# Coming dates shown at most (the soonest).
COMING_LIMIT = 200


def _setting(name: str, default):
    return getattr(settings, name, default)


def _contacts_of_event(outer: str = "pk") -> Coalesce:
    return Coalesce(
        Subquery(
            ContactCount.objects.filter(event=OuterRef(outer))
            .order_by()
            .values("event")
            .annotate(total=Sum("quantity"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _average(total, count) -> float | None:
    return total / count if count else None


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    label: str
    answer: str | None  # the matching Feedback.Channel, None if there is none
    events: int  # held events where the channel was used (an announcement done)
    quantity: int  # e.g. posters put up, letters sent
    heard: int | None  # answers naming the matching channel at those events
    heard_per_event: float | None
    contacts_with: float | None  # average contacts per event with the channel
    contacts_without: float | None  # … and without it


@dataclass(frozen=True)
class PlaceRow:
    channel: str
    label: str
    place: str
    events: int
    quantity: int
    heard: int | None
    heard_per_event: float | None
    contacts_per_event: float | None


@dataclass(frozen=True)
class ChannelReport:
    events: int
    contacts: int
    rows: list[ChannelRow]
    places: list[PlaceRow]


def channel_report(filters: Filters | None = None) -> ChannelReport:
    """Per channel, across held events: use, quantity, matching answers, contacts (3 queries)."""
    filters = filters or Filters()
    held = held_events(filters).order_by()
    done = Announcement.objects.filter(event=OuterRef("pk"), done_on__isnull=False)
    channels = list(Channel)
    events = held.annotate(
        n_contacts=_contacts_of_event(),
        **{f"used_{c.value}": Exists(done.filter(channel=c)) for c in channels},
    )
    aggregates = {"events": Count("pk"), "contacts": Sum("n_contacts")}
    for channel in channels:
        used = Q(**{f"used_{channel.value}": True})
        aggregates[f"events_{channel.value}"] = Count("pk", filter=used)
        aggregates[f"contacts_{channel.value}"] = Sum("n_contacts", filter=used)
        answer = FEEDBACK_ANSWER[channel]
        if answer:
            aggregates[f"heard_{channel.value}"] = Sum(
                f"feedback_totals__channel_{answer}", filter=used
            )
    totals = events.aggregate(**aggregates)
    done_in_held = Announcement.objects.filter(
        done_on__isnull=False, event__in=held.values("pk")
    ).order_by()
    quantities = {
        row["channel"]: row["quantity"] or 0
        for row in done_in_held.values("channel").annotate(quantity=Sum("quantity"))
    }
    n_events, contacts = totals["events"], totals["contacts"] or 0
    rows = []
    for channel in channels:
        used = totals[f"events_{channel.value}"]
        with_contacts = totals[f"contacts_{channel.value}"] or 0
        heard = totals.get(f"heard_{channel.value}")
        answer = FEEDBACK_ANSWER[channel]
        if answer:
            heard = heard or 0
        rows.append(
            ChannelRow(
                channel=channel.value,
                label=str(channel.label),
                answer=answer,
                events=used,
                quantity=quantities.get(channel.value, 0),
                heard=heard,
                heard_per_event=_average(heard, used) if heard is not None else None,
                contacts_with=_average(with_contacts, used),
                contacts_without=_average(contacts - with_contacts, n_events - used),
            )
        )
    return ChannelReport(
        events=n_events,
        contacts=contacts,
        rows=rows,
        places=_places(done_in_held),
    )


def _places(done_in_held) -> list[PlaceRow]:
    """Per channel and place named in "where or to whom" (posters at the supermarket …).

    An event's answers count for every place it had that channel at: which of
    two poster places brought a visitor nobody knows.
    """
    heard_by_channel = {
        channel: Sum(
            Coalesce(
                F(f"event__feedback_totals__channel_{FEEDBACK_ANSWER[channel]}"), 0
            )
        )
        for channel in PLACE_CHANNELS
    }
    grouped = (
        done_in_held.filter(channel__in=PLACE_CHANNELS)
        .exclude(details="")
        .values("channel", place=Trim("details"))
        .annotate(
            events=Count("event", distinct=True),
            quantity=Coalesce(Sum("quantity"), 0),
            contacts=Sum(_contacts_of_event("event")),
            **{
                f"heard_{channel}": heard_by_channel[channel]
                for channel in PLACE_CHANNELS
            },
        )
        .order_by("channel", "place")
    )
    rows = []
    for row in grouped:
        heard_here = row[f"heard_{row['channel']}"] or 0
        rows.append(
            PlaceRow(
                channel=row["channel"],
                label=str(Channel(row["channel"]).label),
                place=row["place"],
                events=row["events"],
                quantity=row["quantity"],
                heard=heard_here,
                heard_per_event=_average(heard_here, row["events"]),
                contacts_per_event=_average(row["contacts"] or 0, row["events"]),
            )
        )
    rows.sort(key=lambda r: (r.channel, -(r.heard_per_event or 0), r.place))
    return rows


@dataclass(frozen=True)
class ComingDate:
    event: Event
    estimate: Estimate
    low_reach: bool
    alternative: object | None  # planning.alternatives.Alternative
    alternatives_looked_up: bool


@dataclass(frozen=True)
class QuietDistrict:
    district: District
    last_date: datetime | None  # held with Quartier or imported from the history
    next_date: datetime | None  # planned (published or draft)


@dataclass(frozen=True)
class MonthAccuracy:
    month: date
    dates: int
    mae: float
    coverage: float


@dataclass(frozen=True)
class PlanningOverview:
    coming: list[ComingDate]
    threshold: int
    quiet_districts: list[QuietDistrict]
    gap_days: int
    accuracy: list[MonthAccuracy]


def coming_dates(now: datetime | None = None):
    """Published and draft dates from now on, with a place and a time, soonest first."""
    now = now or timezone.now()
    return (
        Event.objects.filter(
            start__gte=now,
            end__isnull=False,
            location__isnull=False,
            status__in=[Event.Status.PUBLISHED, Event.Status.DRAFT],
        )
        .select_related("location__district")
        .prefetch_related("translations", "location__translations")
        .order_by("start", "pk")[:COMING_LIMIT]
    )


def _with_estimates(events: list[Event], threshold: int) -> list[ComingDate]:
    found = estimate_many(
        [(event.location, event.start, event.end) for event in events]
    )
    budget = _setting("PLANNING_PAGE_ALTERNATIVES", DEFAULT_PAGE_ALTERNATIVES)
    result = []
    for event, guess in zip(events, found, strict=True):
        # As shown: an expected 9.6 reads 10 and is not below 10.
        low = round(guess.expected) < threshold
        best, looked_up = None, False
        if low and budget > 0:
            budget -= 1
            looked_up = True
            options = alternatives(
                event.location, event.start, event.end, exclude_event=event, limit=1
            )
            best = options[0] if options else None
        result.append(ComingDate(event, guess, low, best, looked_up))
    return result


def quiet_districts(
    gap_days: int | None = None, now: datetime | None = None
) -> list[QuietDistrict]:
    """Districts with no date held in the last ``gap_days`` days (1 query).

    Held means a published Quartier event that has started, or an imported past
    date; the next planned date (published or draft) is shown beside.
    """
    now = now or timezone.now()
    gap_days = gap_days or _setting(
        "PLANNING_DISTRICT_GAP_DAYS", DEFAULT_DISTRICT_GAP_DAYS
    )
    cutoff = now - timedelta(days=gap_days)
    here = {"location__district": OuterRef("pk")}
    last_event = (
        Event.objects.filter(**here, status=Event.Status.PUBLISHED, start__lt=now)
        .order_by("-start")
        .values("start")[:1]
    )
    last_past = (
        PastDate.objects.filter(**here, start__lt=now)
        .order_by("-start")
        .values("start")[:1]
    )
    next_event = (
        Event.objects.filter(
            **here,
            start__gte=now,
            status__in=[Event.Status.PUBLISHED, Event.Status.DRAFT],
        )
        .order_by("start")
        .values("start")[:1]
    )
    districts = (
        District.objects.filter(archived=False)
        .annotate(
            last_event=Subquery(last_event),
            last_past=Subquery(last_past),
            next_event=Subquery(next_event),
        )
        .filter(Q(last_event__isnull=True) | Q(last_event__lt=cutoff))
        .filter(Q(last_past__isnull=True) | Q(last_past__lt=cutoff))
        .order_by("name")
    )
    rows = []
    for district in districts:
        held = [day for day in (district.last_event, district.last_past) if day]
        rows.append(
            QuietDistrict(district, max(held, default=None), district.next_event)
        )
    # Those with nothing planned first, then the longest without a date.
    rows.sort(
        key=lambda row: (
            row.next_date is not None,
            row.last_date.timestamp() if row.last_date else float("-inf"),
        )
    )
    return rows


def accuracy() -> list[MonthAccuracy]:
    return [
        MonthAccuracy(month, dates, mae, coverage)
        for month, dates, mae, coverage in accuracy_by_month()
    ]


def planning_overview(now: datetime | None = None) -> PlanningOverview:
    """Everything the planning page shows, in a fixed number of queries."""
    threshold = _setting("PLANNING_LOW_REACH_THRESHOLD", DEFAULT_LOW_REACH_THRESHOLD)
    gap_days = _setting("PLANNING_DISTRICT_GAP_DAYS", DEFAULT_DISTRICT_GAP_DAYS)
    return PlanningOverview(
        coming=_with_estimates(list(coming_dates(now)), threshold),
        threshold=threshold,
        quiet_districts=quiet_districts(gap_days, now),
        gap_days=gap_days,
        accuracy=accuracy(),
    )
