"""Coordinator summaries: figures aggregated in the database, returned as plain data.

Every function runs a fixed number of queries however much data exists; rows from
different tables (contacts, feedback, material) are summed in separate subqueries
or queries, so a join never multiplies them. Period summaries read the feedback
from FeedbackTotals and FeedbackGroupTotals (a few rows per event); one event's
report reads its answers, and its self-descriptions from FeedbackGroupTotals too.
See docs/summaries.md.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from events.models import (
    District,
    Event,
    Location,
    Material,
    MaterialHandout,
    ServiceOffering,
    in_source_language,
)
from feedback.models import (
    HELPFUL_FROM,
    RATING_FIELDS,
    SOMETHING_ELSE,
    TOTAL_FIELDS,
    ContactCount,
    Feedback,
    FeedbackGroupTotals,
    FeedbackTotals,
    answer_aggregates,
)

MIN_FEEDBACK_FOR_PUBLIC_FIGURES = 5


@dataclass(frozen=True)
class Filters:
    start: date | None = None  # inclusive, local date of Event.start (Europe/Berlin)
    end: date | None = None  # inclusive
    district: District | None = None
    location: Location | None = None
    category: str = ""  # a ServiceOffering.Category value


@dataclass(frozen=True)
class Figures:
    """The headline numbers, for a period or one event."""

    events_held: int
    contacts: int
    feedback: int
    average_overall: float | None
    average_consultation: float | None
    average_material: float | None
    average_location: float | None
    response_rate: float | None
    material_brought: int
    material_handed_out: int
    consultation_helpful_share: float | None
    would_come_again_share: float | None


@dataclass(frozen=True)
class Row:
    """A labelled count, for distributions and charts."""

    key: str
    label: str
    count: int
    share: float | None


@dataclass(frozen=True)
class MaterialRow:
    title: str
    language: str
    brought: int
    handed_out: int


@dataclass(frozen=True)
class Comment:
    submitted_at: datetime
    text: str
    rating_overall: int | None
    source: str
    may_publish: bool


@dataclass(frozen=True)
class EventReport:
    event: Event
    figures: Figures
    ratings: dict[str, list[Row]]
    channels: list[Row]
    services_of_interest: list[Row]
    contacts_by_target_group: list[Row]
    contacts_by_service: list[Row]
    self_descriptions: list[Row]
    materials: list[MaterialRow]
    comments: list[Comment]


@dataclass(frozen=True)
class LocationRow:
    location: Location
    events: int
    event_hours: float
    contacts: int
    contacts_per_hour: float | None
    feedback: int
    feedback_per_event: float | None
    average_overall: float | None
    average_location: float | None
    foot_traffic: str


@dataclass(frozen=True)
class ChannelPeriod:
    month: date
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class ChannelSummary:
    periods: list[ChannelPeriod]
    totals: list[Row]
    passing_by_share: float | None
    announced_share: float | None
    word_of_mouth_share: float | None


@dataclass(frozen=True)
class PublicFigures:
    """For the public review page."""

    contacts: int
    feedback: int
    consultation_helpful_share: float | None
    material_handed_out: int


RATING_VALUES = (1, 2, 3, 4, 5)
ANNOUNCED_CHANNELS = (
    Feedback.Channel.POSTER,
    Feedback.Channel.LETTER,
    Feedback.Channel.WEBSITE,
    Feedback.Channel.SOCIAL_MEDIA,
    Feedback.Channel.PARTNER,
)
ORDERS = ("reach", "rating")
# Feedback is counted by its (never null) event column rather than its id: the
# column is in the covering index feedback_event_figures, so PostgreSQL can
# answer from the index alone instead of reading the table.
ANSWER = "event"


# Helpers: exact arithmetic on the integers the database returns, so SQLite
# and PostgreSQL give the same floats.


def _average(total: int | None, count: int | None) -> float | None:
    return round(total / count, 2) if count else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _rows(items: list[tuple[str, str, int]]) -> list[Row]:
    """Rows from (key, label, count), each with its share of the table's total."""
    total = sum(count for _key, _label, count in items)
    return [Row(key, label, count, _share(count, total)) for key, label, count in items]


def _not_specified() -> str:
    return gettext("not specified")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _per_event(queryset: QuerySet, aggregate) -> Subquery:
    """A correlated subquery: the aggregate of queryset's rows of the outer event."""
    return Subquery(
        queryset.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(result=aggregate)
        .values("result"),
        output_field=IntegerField(),
    )


def _duration():
    return ExpressionWrapper(F("end") - F("start"), output_field=DurationField())


def _hours(duration: timedelta | None) -> float:
    return duration.total_seconds() / 3600 if duration else 0.0


def _held(filters: Filters, prefix: str = "") -> Q:
    """The condition for held events, on Event or (prefix "event__") a related row.

    Filtering the rows of another table through their event in one join, rather
    than `event__in=held_events(...)`, lets PostgreSQL join the events once.
    """
    p = prefix
    condition = Q(
        **{f"{p}status": Event.Status.PUBLISHED, f"{p}start__lt": timezone.now()}
    )
    if filters.start:
        condition &= Q(**{f"{p}start__gte": _day_start(filters.start)})
    if filters.end:
        end = _day_start(filters.end + timedelta(days=1))
        condition &= Q(**{f"{p}start__lt": end})
    if filters.district:
        condition &= Q(**{f"{p}location__district": filters.district})
    if filters.location:
        condition &= Q(**{f"{p}location": filters.location})
    if filters.category:
        offers = Event.services.through.objects.filter(
            event=OuterRef("event" if p else "pk"),
            serviceoffering__category=filters.category,
        )
        condition &= Q(Exists(offers))
    return condition


def held_events(filters: Filters) -> QuerySet[Event]:
    """Published events that started before now, within the filter window."""
    return Event.objects.filter(_held(filters))


def _totals_summed(totals: QuerySet[FeedbackTotals]) -> dict:
    """The per-event feedback totals added up: the keys of answer_aggregates()."""
    sums = totals.aggregate(**{name: Sum(name) for name in TOTAL_FIELDS})
    return {name: value or 0 for name, value in sums.items()}


def _figures(
    *,
    events_held: int,
    contacts: int,
    brought: int,
    handed_out: int,
    feedback: dict,
) -> Figures:
    averages = {
        field: _average(feedback[f"{field}_sum"], feedback[f"{field}_count"])
        for field in RATING_FIELDS
    }
    return Figures(
        events_held=events_held,
        contacts=contacts,
        feedback=feedback["feedback"],
        average_overall=averages["rating_overall"],
        average_consultation=averages["rating_consultation"],
        average_material=averages["rating_material"],
        average_location=averages["rating_location"],
        response_rate=_share(feedback["feedback"], contacts),
        material_brought=brought,
        material_handed_out=handed_out,
        consultation_helpful_share=_share(
            feedback["helpful"], feedback["rating_consultation_count"]
        ),
        would_come_again_share=_share(
            feedback["again_yes"], feedback["again_yes"] + feedback["again_no"]
        ),
    )


def _total(queryset: QuerySet, field: str) -> Subquery:
    """An uncorrelated scalar subquery: SUM(field) over the queryset's rows."""
    return Subquery(
        queryset.annotate(all_rows=Value(1))
        .order_by()
        .values("all_rows")
        .annotate(total=Sum(field))
        .values("total"),
        output_field=IntegerField(),
    )


def overview(filters: Filters) -> Figures:
    """The headline figures of all events held in the filter window (2 queries).

    Each table is summed on its own, joined only to its events, so no table's
    rows multiply another's: the events query carries the contact and material
    sums as scalar subqueries (run once each), the feedback its own aggregate.
    """
    related = _held(filters, "event__")
    contacts = ContactCount.objects.filter(related)
    handouts = MaterialHandout.objects.filter(related)
    # Max() only lifts each once-evaluated subquery into the aggregate query.
    sums = held_events(filters).aggregate(
        events=Count("pk"),
        contacts=Max(_total(contacts, "quantity")),
        brought=Max(_total(handouts, "brought")),
        handed_out=Max(_total(handouts, "handed_out")),
    )
    return _figures(
        events_held=sums["events"],
        contacts=sums["contacts"] or 0,
        brought=sums["brought"] or 0,
        handed_out=sums["handed_out"] or 0,
        feedback=_totals_summed(FeedbackTotals.objects.filter(related)),
    )


def event_report(event: Event) -> EventReport:
    """Everything known about one event: figures, distributions, material, comments."""
    aggregates = answer_aggregates()
    for field in RATING_FIELDS:
        for value in RATING_VALUES:
            aggregates[f"{field}_{value}"] = Count(ANSWER, filter=Q(**{field: value}))
    feedback = Feedback.objects.filter(event=event).aggregate(**aggregates)

    ratings = {
        field: _rows(
            [(str(v), str(v), feedback[f"{field}_{v}"]) for v in RATING_VALUES]
        )
        for field in RATING_FIELDS
    }
    channel_rows = _rows(
        [
            (channel.value, str(channel.label), feedback[f"channel_{channel.value}"])
            for channel in Feedback.Channel
        ]
    )
    by_group = _contacts_by(event, "target_group", F("target_group__name"))
    materials = [
        MaterialRow(title, language, brought, handed_out)
        for title, language, brought, handed_out in MaterialHandout.objects.filter(
            event=event
        )
        .by_material()
        .annotate(title=in_source_language(Material, "title", master="material_id"))
        .values_list("title", "material__language", "brought", "handed_out")
    ]
    # The totals are sums of the few grouped rows just read: every contact has
    # exactly one target group row (or "not specified"), every handout one row.
    figures = _figures(
        events_held=int(event.status == Event.Status.PUBLISHED and event.has_started()),
        contacts=sum(row.count for row in by_group),
        brought=sum(row.brought for row in materials),
        handed_out=sum(row.handed_out for row in materials),
        feedback=feedback,
    )
    return EventReport(
        event=event,
        figures=figures,
        ratings=ratings,
        channels=channel_rows,
        services_of_interest=_services_of_interest(event),
        contacts_by_target_group=by_group,
        contacts_by_service=_contacts_by(
            event,
            "service",
            in_source_language(ServiceOffering, "title", master="service_id"),
        ),
        self_descriptions=_self_descriptions(Q(event=event)),
        materials=materials,
        comments=[
            Comment(*values)
            for values in Feedback.objects.filter(
                event=event, comment_removed_at__isnull=True
            )
            .exclude(comment="")
            .order_by("-submitted_at", "-pk")
            .values_list(
                "submitted_at", "comment", "rating_overall", "source", "may_publish"
            )
        ],
    )


def _services_of_interest(event: Event) -> list[Row]:
    """Services offered at the event or ticked in its feedback, most wanted first."""
    interest = Feedback.services_of_interest.through.objects.filter(
        feedback__event=event, serviceoffering=OuterRef("pk")
    )
    offered = Event.services.through.objects.filter(
        event=event, serviceoffering=OuterRef("pk")
    )
    count = Subquery(
        interest.order_by()
        .values("serviceoffering")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    services = (
        ServiceOffering.objects.filter(Exists(offered) | Exists(interest))
        .annotate(
            interested=Coalesce(count, 0),
            title=in_source_language(ServiceOffering, "title"),
        )
        .order_by("-interested", "title", "pk")
        .values_list("pk", "title", "interested")
    )
    return _rows([(str(pk), title, n) for pk, title, n in services])


def _most_first(items: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    return sorted(items, key=lambda item: (-item[2], item[1], item[0]))


def _contacts_by(event: Event, field: str, label) -> list[Row]:
    """Contacts per target group or service, most first; "not specified" last.

    label: the expression naming a group (services by their German title).
    """
    grouped = (
        ContactCount.objects.filter(event=event)
        .order_by()
        .annotate(label=label)
        .values(field, "label")
        .annotate(n=Sum("quantity"))
    )
    unspecified = 0
    items = []
    for row in grouped:
        if row[field] is None:
            unspecified = row["n"]
        else:
            items.append((str(row[field]), row["label"], row["n"]))
    return _rows([*_most_first(items), ("", _not_specified(), unspecified)])


def self_descriptions(filters: Filters) -> list[Row]:
    """Who gave feedback in the filter window, by self-description (1 query)."""
    return _self_descriptions(_held(filters, "event__"))


def _self_descriptions(condition: Q) -> list[Row]:
    """Feedback per self-description of the events matching condition (1 query).

    Adds up FeedbackGroupTotals (a few rows per event) rather than the answers.
    """
    grouped = (
        FeedbackGroupTotals.objects.filter(condition)
        .order_by()
        .values_list("target_group", "target_group__name", "describes_self_otherwise")
        .annotate(n=Sum("feedback"))
    )
    otherwise = no_answer = 0
    items = []
    for group, name, described_otherwise, n in grouped:
        if group is not None:
            items.append((str(group), name, n))
        elif described_otherwise:
            otherwise = n
        else:
            no_answer = n
    return _rows(
        [
            *_most_first(items),
            (SOMETHING_ELSE, gettext("something else"), otherwise),
            ("", gettext("no answer"), no_answer),
        ]
    )


def answer_languages(filters: Filters) -> list[Row]:
    """Feedback in the filter window by the language of the form (1 query).

    The key is the language code; "" is paper or not recorded, listed last.
    """
    grouped = (
        Feedback.objects.filter(_held(filters, "event__"))
        .order_by()
        .values_list("language")
        .annotate(n=Count("id"))
    )
    counts = dict(grouped)
    order = [code for code, _name in settings.LANGUAGES]
    known = sorted(
        (code for code in counts if code),
        key=lambda code: (-counts[code], order.index(code) if code in order else 99),
    )
    items = [(code, code, counts[code]) for code in known]
    if counts.get(""):
        items.append(("", gettext("paper or not recorded"), counts[""]))
    return _rows(items)


def locations_compared(filters: Filters, order: str = "reach") -> list[LocationRow]:
    """One row per location with held events: reach and ratings, ranked (2 queries).

    order "reach": contacts per hour, highest first; "rating": average overall
    rating, highest first. None comes last, ties go by name.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    related = _held(filters, "event__")
    at_location = (
        held_events(filters)
        .filter(location=OuterRef("pk"))
        .order_by()
        .values("location")
    )
    locations = (
        Location.objects.select_related("district")
        .prefetch_related("translations")
        .annotate(
            held=Subquery(
                at_location.annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            duration=Subquery(
                at_location.annotate(d=Sum(_duration())).values("d"),
                output_field=DurationField(),
            ),
            contacts=Subquery(
                ContactCount.objects.filter(related, event__location=OuterRef("pk"))
                .order_by()
                .values("event__location")
                .annotate(n=Sum("quantity"))
                .values("n"),
                output_field=IntegerField(),
            ),
        )
        .filter(held__gt=0)
    )
    feedback = {
        row["event__location"]: row
        for row in FeedbackTotals.objects.filter(related)
        .order_by()
        .values("event__location")
        .annotate(
            n=Sum("feedback"),
            overall_sum=Sum("rating_overall_sum"),
            overall_count=Sum("rating_overall_count"),
            location_sum=Sum("rating_location_sum"),
            location_count=Sum("rating_location_count"),
        )
    }
    rows = []
    for location in locations:
        hours = _hours(location.duration)
        reached = location.contacts or 0
        votes = feedback.get(location.pk, {})
        given = votes.get("n", 0)
        rows.append(
            LocationRow(
                location=location,
                events=location.held,
                event_hours=hours,
                contacts=reached,
                contacts_per_hour=_share(reached, hours),
                feedback=given,
                feedback_per_event=_share(given, location.held),
                average_overall=_average(
                    votes.get("overall_sum"), votes.get("overall_count")
                ),
                average_location=_average(
                    votes.get("location_sum"), votes.get("location_count")
                ),
                foot_traffic=location.foot_traffic,
            )
        )
    key = "contacts_per_hour" if order == "reach" else "average_overall"
    rows.sort(
        key=lambda row: (
            getattr(row, key) is None,
            -(getattr(row, key) or 0),
            row.location.name,
            row.location.pk,
        )
    )
    return rows


def channels(filters: Filters) -> ChannelSummary:
    """How visitors heard of the events, per month of the event and in total (1 query)."""
    month = TruncMonth(
        "event__start",
        output_field=DateField(),
        tzinfo=timezone.get_default_timezone(),
    )
    # One row per month, adding up the events' per-channel totals.
    values = Feedback.Channel.values
    grouped = (
        FeedbackTotals.objects.filter(_held(filters, "event__"))
        .annotate(month=month)
        .order_by()
        .values("month")
        .annotate(**{f"channel_{value}": Sum(f"channel_{value}") for value in values})
        .order_by("month")
    )
    periods = []
    totals = dict.fromkeys(values, 0)
    for row in grouped:
        counts = {value: row[f"channel_{value}"] for value in values}
        periods.append(ChannelPeriod(row["month"], counts, sum(counts.values())))
        for value, n in counts.items():
            totals[value] += n
    answered = sum(totals.values())
    return ChannelSummary(
        periods=periods,
        totals=_rows(
            [(c.value, str(c.label), totals[c.value]) for c in Feedback.Channel]
        ),
        passing_by_share=_share(totals[Feedback.Channel.PASSING_BY], answered),
        announced_share=_share(sum(totals[c] for c in ANNOUNCED_CHANNELS), answered),
        word_of_mouth_share=_share(totals[Feedback.Channel.FRIENDS_FAMILY], answered),
    )


def event_figures(event: Event) -> PublicFigures | None:
    """Figures for the public review, or None below the minimum of feedback (1 query)."""
    feedback = Feedback.objects.all()
    row = (
        Event.objects.filter(pk=event.pk)
        .annotate(
            n_contacts=_per_event(ContactCount.objects, Sum("quantity")),
            n_feedback=_per_event(feedback, Count(ANSWER)),
            helpful=_per_event(
                feedback, Count(ANSWER, filter=Q(rating_consultation__gte=HELPFUL_FROM))
            ),
            answered=_per_event(feedback, Count("rating_consultation")),
            handed_out=_per_event(MaterialHandout.objects, Sum("handed_out")),
        )
        .values("n_contacts", "n_feedback", "helpful", "answered", "handed_out")
        .first()
    )
    if row is None or (row["n_feedback"] or 0) < MIN_FEEDBACK_FOR_PUBLIC_FIGURES:
        return None
    return PublicFigures(
        contacts=row["n_contacts"] or 0,
        feedback=row["n_feedback"],
        consultation_helpful_share=_share(row["helpful"] or 0, row["answered"] or 0),
        material_handed_out=row["handed_out"] or 0,
    )
