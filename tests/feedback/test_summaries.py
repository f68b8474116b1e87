from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Location, ServiceOffering
from feedback import summaries
from feedback.models import Feedback
from feedback.summaries import Filters, Row
from tests.factories import (
    ContactCountFactory,
    DistrictFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
    MaterialFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

CAT = ServiceOffering.Category
CH = Feedback.Channel


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def feedback(event, **fields):
    fields.setdefault("submitted_at", event.end + timedelta(minutes=5))
    return FeedbackFactory(event=event, **fields)


@pytest.fixture
def world():
    """Three held events and the events a summary must leave out.

    E1 (Alpha, 4 h, career), E2 (Beta, 2 h, childcare), E3 (Alpha, 6 h, both);
    a draft, a cancelled and a future event each carry feedback, contacts and
    material that must never be counted.
    """
    w = SimpleNamespace()
    w.ost = DistrictFactory(name="Oststadt", slug="oststadt")
    w.west = DistrictFactory(name="Weststadt", slug="weststadt")
    w.alpha = LocationFactory(
        name="Alpha", district=w.ost, foot_traffic=Location.FootTraffic.LOW
    )
    w.beta = LocationFactory(
        name="Beta", district=w.west, foot_traffic=Location.FootTraffic.HIGH
    )
    w.career = ServiceOfferingFactory(title="Beratung", category=CAT.CAREER_DEVELOPMENT)
    w.childcare = ServiceOfferingFactory(title="Kita", category=CAT.CHILDCARE)
    w.unrelated = ServiceOfferingFactory(
        title="Netzwerk", category=CAT.INTEGRATION_NETWORKS
    )
    w.families = TargetGroupFactory(name="Familien", slug="familien")
    w.seekers = TargetGroupFactory(name="Arbeitsuchende", slug="arbeitsuchende")
    w.flyer = MaterialFactory(title="Anerkennung", language="de")
    w.form = MaterialFactory(title="Bürgergeld", language="tr")

    w.e1 = EventFactory(
        published=True,
        location=w.alpha,
        start=at(date(2024, 3, 5), 10),
        end=at(date(2024, 3, 5), 14),
        services=[w.career],
    )
    w.e2 = EventFactory(
        published=True,
        location=w.beta,
        start=at(date(2024, 4, 10), 10),
        end=at(date(2024, 4, 10), 12),
        services=[w.childcare],
    )
    w.e3 = EventFactory(
        published=True,
        location=w.alpha,
        start=at(date(2024, 4, 20), 9),
        end=at(date(2024, 4, 20), 15),
        services=[w.career, w.childcare],
    )
    w.draft = EventFactory(
        location=w.alpha,
        start=at(date(2024, 3, 6), 10),
        end=at(date(2024, 3, 6), 14),
        services=[w.career],
    )
    w.cancelled = EventFactory(
        cancelled=True,
        location=w.beta,
        start=at(date(2024, 3, 7), 10),
        end=at(date(2024, 3, 7), 14),
        services=[w.career],
    )
    w.future = EventFactory(published=True, location=w.alpha, services=[w.career])

    base = w.e1.end + timedelta(minutes=1)
    w.f1 = feedback(
        w.e1,
        submitted_at=base,
        rating_overall=5,
        rating_consultation=5,
        rating_material=4,
        rating_location=2,
        heard_via=CH.PASSING_BY,
        would_come_again=True,
        comment="Super Beratung",
        may_publish=True,
        services_of_interest=[w.career, w.childcare],
    )
    w.f2 = feedback(
        w.e1,
        submitted_at=base + timedelta(minutes=1),
        rating_overall=4,
        rating_consultation=4,
        rating_location=3,
        heard_via=CH.LETTER,
        would_come_again=False,
        comment="Entfernt",
        comment_removed_at=timezone.now(),
        services_of_interest=[w.childcare],
    )
    w.f3 = feedback(
        w.e1,
        submitted_at=base + timedelta(minutes=2),
        rating_overall=3,
        rating_consultation=2,
        rating_material=5,
        heard_via=CH.PASSING_BY,
        comment="Zu laut",
        source=Feedback.Source.PAPER,
    )
    w.f4 = feedback(w.e1, submitted_at=base + timedelta(minutes=3), rating_overall=5)
    w.f4.would_come_again = True
    w.f4.save()
    w.g1 = feedback(
        w.e2,
        rating_overall=2,
        rating_consultation=3,
        rating_material=2,
        rating_location=4,
        heard_via=CH.POSTER,
        would_come_again=False,
        services_of_interest=[w.career],
    )
    w.g2 = feedback(
        w.e2,
        rating_overall=4,
        rating_consultation=5,
        rating_material=3,
        rating_location=5,
        heard_via=CH.FRIENDS_FAMILY,
        would_come_again=True,
    )

    ContactCountFactory(
        event=w.e1, target_group=w.families, service=w.career, quantity=3
    )
    ContactCountFactory(event=w.e1, target_group=w.seekers, quantity=2)
    ContactCountFactory(event=w.e1, service=w.career, quantity=5)
    ContactCountFactory(
        event=w.e2, target_group=w.families, service=w.childcare, quantity=4
    )
    ContactCountFactory(event=w.e3, quantity=6)

    MaterialHandoutFactory(event=w.e1, material=w.form, brought=50, handed_out=50)
    MaterialHandoutFactory(event=w.e1, material=w.flyer, brought=100, handed_out=40)
    MaterialHandoutFactory(event=w.e2, material=w.flyer, brought=20, handed_out=5)

    for excluded in (w.draft, w.cancelled, w.future):
        feedback(excluded, rating_overall=1, rating_consultation=1, heard_via=CH.OTHER)
        ContactCountFactory(event=excluded, quantity=100)
        MaterialHandoutFactory(
            event=excluded, material=w.flyer, brought=99, handed_out=99
        )
    return w


def add_volume(w, n_events: int = 6):
    """More events, feedback, contacts and material: query counts must not change."""
    for n in range(n_events):
        location = w.alpha if n % 2 else w.beta
        day = date(2024, 5, 1) + timedelta(days=n)
        event = EventFactory(
            published=True,
            location=location,
            start=at(day, 10),
            end=at(day, 13),
            services=[w.career, w.childcare],
        )
        for k in range(6):
            feedback(
                event,
                rating_overall=1 + k % 5,
                rating_consultation=1 + (k + 1) % 5,
                heard_via=CH.values[k % len(CH.values)],
                would_come_again=bool(k % 2),
                comment=f"Kommentar {k}",
                services_of_interest=[w.career],
            )
            ContactCountFactory(event=event, target_group=w.families, quantity=2)
            ContactCountFactory(event=event, service=w.childcare)
        MaterialHandoutFactory(event=event, material=w.flyer)
        MaterialHandoutFactory(event=event, material=w.form)
    for _ in range(6):
        feedback(w.e1, rating_overall=3, comment="Noch einer")
        ContactCountFactory(event=w.e1, target_group=w.seekers)


# held_events


def test_held_events_are_published_and_started(world):
    assert list(summaries.held_events(Filters())) == [world.e1, world.e2, world.e3]


def test_held_events_filter_by_local_dates_inclusive(world):
    april = Filters(start=date(2024, 4, 1), end=date(2024, 4, 10))
    assert list(summaries.held_events(april)) == [world.e2]
    assert list(summaries.held_events(Filters(end=date(2024, 4, 9)))) == [world.e1]
    assert list(summaries.held_events(Filters(start=date(2024, 4, 11)))) == [world.e3]


def test_held_events_window_uses_the_berlin_date():
    # 00:30 in Berlin on 1 June is still 31 May in UTC.
    event = EventFactory(
        published=True, start=at(date(2024, 6, 1), 0, 30), end=at(date(2024, 6, 1), 3)
    )
    assert list(summaries.held_events(Filters(start=date(2024, 6, 1)))) == [event]
    assert list(summaries.held_events(Filters(end=date(2024, 5, 31)))) == []


def test_held_events_filter_by_district_location_and_category(world):
    assert list(summaries.held_events(Filters(district=world.ost))) == [
        world.e1,
        world.e3,
    ]
    assert list(summaries.held_events(Filters(location=world.beta))) == [world.e2]
    assert list(summaries.held_events(Filters(category=CAT.CHILDCARE))) == [
        world.e2,
        world.e3,
    ]
    assert list(summaries.held_events(Filters(category=CAT.EQUAL_OPPORTUNITY))) == []


# overview


def test_overview_of_the_whole_period(world):
    assert summaries.overview(Filters()) == summaries.Figures(
        events_held=3,
        contacts=20,
        feedback=6,
        average_overall=3.83,  # 23 / 6
        average_consultation=3.8,  # 19 / 5
        average_material=3.5,  # 14 / 4
        average_location=3.5,  # 14 / 4
        response_rate=0.3,  # 6 / 20
        material_brought=170,
        material_handed_out=95,
        consultation_helpful_share=0.6,  # 3 of 5 rated 4 or 5
        would_come_again_share=0.6,  # 3 yes, 2 no, 1 no answer
    )


def test_overview_of_a_district(world):
    assert summaries.overview(Filters(district=world.ost)) == summaries.Figures(
        events_held=2,
        contacts=16,
        feedback=4,
        average_overall=4.25,
        average_consultation=3.67,  # 11 / 3
        average_material=4.5,
        average_location=2.5,
        response_rate=0.25,
        material_brought=150,
        material_handed_out=90,
        consultation_helpful_share=2 / 3,
        would_come_again_share=2 / 3,
    )


def test_overview_leaves_out_feedback_of_events_outside_the_window(world):
    figures = summaries.overview(Filters(start=date(2024, 4, 1)))
    assert (figures.events_held, figures.contacts, figures.feedback) == (2, 10, 2)
    assert figures.average_overall == 3.0
    assert figures.material_handed_out == 5


def test_overview_of_events_without_feedback_has_no_averages(world):
    figures = summaries.overview(Filters(start=date(2024, 4, 15)))
    assert figures == summaries.Figures(
        events_held=1,
        contacts=6,
        feedback=0,
        average_overall=None,
        average_consultation=None,
        average_material=None,
        average_location=None,
        response_rate=0.0,
        material_brought=0,
        material_handed_out=0,
        consultation_helpful_share=None,
        would_come_again_share=None,
    )


def test_overview_of_nothing_is_zero_and_none():
    figures = summaries.overview(Filters())
    assert (figures.events_held, figures.contacts, figures.feedback) == (0, 0, 0)
    assert figures.response_rate is None
    assert figures.material_brought == 0


# event_report


def test_event_report_figures(world):
    report = summaries.event_report(world.e1)
    assert report.event == world.e1
    assert report.figures == summaries.Figures(
        events_held=1,
        contacts=10,
        feedback=4,
        average_overall=4.25,
        average_consultation=3.67,
        average_material=4.5,
        average_location=2.5,
        response_rate=0.4,
        material_brought=150,
        material_handed_out=90,
        consultation_helpful_share=2 / 3,
        would_come_again_share=2 / 3,
    )


def test_event_report_rating_distributions_include_zeros(world):
    ratings = summaries.event_report(world.e1).ratings
    assert list(ratings) == list(summaries.RATING_FIELDS)
    assert ratings["rating_overall"] == [
        Row("1", "1", 0, 0.0),
        Row("2", "2", 0, 0.0),
        Row("3", "3", 1, 0.25),
        Row("4", "4", 1, 0.25),
        Row("5", "5", 2, 0.5),
    ]
    assert [r.count for r in ratings["rating_material"]] == [0, 0, 0, 1, 1]
    assert [r.count for r in ratings["rating_location"]] == [0, 1, 1, 0, 0]


def test_event_report_rating_rows_without_answers_have_no_share(world):
    report = summaries.event_report(world.e3)
    assert report.ratings["rating_consultation"] == [
        Row(str(v), str(v), 0, None) for v in range(1, 6)
    ]


def test_event_report_channels_in_choice_order_with_zeros(world):
    rows = summaries.event_report(world.e1).channels
    assert [r.key for r in rows] == list(CH.values)
    counts = {r.key: (r.count, r.share) for r in rows}
    assert counts[CH.PASSING_BY] == (2, 2 / 3)
    assert counts[CH.LETTER] == (1, 1 / 3)
    assert counts[CH.POSTER] == (0, 0.0)
    assert sum(r.count for r in rows) == 3  # the feedback without a channel is left out
    assert rows[0].label == "Plakat"


def test_event_report_services_of_interest(world):
    rows = summaries.event_report(world.e1).services_of_interest
    assert rows == [
        Row(str(world.childcare.pk), "Kita", 2, 2 / 3),
        Row(str(world.career.pk), "Beratung", 1, 1 / 3),
    ]


def test_event_report_services_offered_but_not_ticked_show_zero(world):
    rows = summaries.event_report(world.e3).services_of_interest
    assert rows == [
        Row(str(world.career.pk), "Beratung", 0, None),
        Row(str(world.childcare.pk), "Kita", 0, None),
    ]


def test_event_report_contacts_by_target_group_with_not_specified_last(world):
    rows = summaries.event_report(world.e1).contacts_by_target_group
    assert rows == [
        Row(str(world.families.pk), "Familien", 3, 0.3),
        Row(str(world.seekers.pk), "Arbeitsuchende", 2, 0.2),
        Row("", "ohne Angabe", 5, 0.5),
    ]


def test_event_report_self_descriptions_tell_something_else_from_no_answer(world):
    Feedback.objects.filter(pk__in=[world.f1.pk, world.f3.pk]).update(
        target_group=world.families
    )
    Feedback.objects.filter(pk=world.f2.pk).update(describes_self_otherwise=True)
    assert summaries.event_report(world.e1).self_descriptions == [
        Row(str(world.families.pk), "Familien", 2, 0.5),
        Row("other", "etwas anderes", 1, 0.25),
        Row("", "keine Angabe", 1, 0.25),
    ]


def test_event_report_self_descriptions_without_feedback(world):
    assert summaries.event_report(world.e3).self_descriptions == [
        Row("other", "etwas anderes", 0, None),
        Row("", "keine Angabe", 0, None),
    ]


def test_self_descriptions_over_a_period_count_held_events_only(world):
    Feedback.objects.filter(pk__in=[world.f1.pk, world.g1.pk]).update(
        target_group=world.families
    )
    Feedback.objects.filter(pk__in=[world.f2.pk, world.g2.pk]).update(
        describes_self_otherwise=True
    )
    # The draft, cancelled and future events' answers say "families" too.
    Feedback.objects.exclude(event__in=[world.e1, world.e2, world.e3]).update(
        target_group=world.families
    )
    assert summaries.self_descriptions(Filters()) == [
        Row(str(world.families.pk), "Familien", 2, 2 / 6),
        Row("other", "etwas anderes", 2, 2 / 6),
        Row("", "keine Angabe", 2, 2 / 6),
    ]
    in_west = summaries.self_descriptions(Filters(district=world.west))
    assert [(r.key, r.count) for r in in_west] == [
        (str(world.families.pk), 1),
        ("other", 1),
        ("", 0),
    ]


def test_self_descriptions_of_an_empty_period():
    assert summaries.self_descriptions(Filters()) == [
        Row("other", "etwas anderes", 0, None),
        Row("", "keine Angabe", 0, None),
    ]


def test_a_target_group_and_something_else_are_never_stored_together(world):
    world.f1.target_group = world.families
    world.f1.describes_self_otherwise = True
    with pytest.raises(ValidationError, match="nicht beides"):
        world.f1.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        world.f1.save()


def test_event_report_contacts_by_service(world):
    rows = summaries.event_report(world.e1).contacts_by_service
    assert rows == [
        Row(str(world.career.pk), "Beratung", 8, 0.8),
        Row("", "ohne Angabe", 2, 0.2),
    ]
    assert summaries.event_report(world.e2).contacts_by_service[-1] == Row(
        "", "ohne Angabe", 0, 0.0
    )


def test_event_report_ties_go_by_name(world):
    ContactCountFactory(event=world.e1, target_group=world.seekers, quantity=1)
    rows = summaries.event_report(world.e1).contacts_by_target_group
    assert [(r.label, r.count) for r in rows] == [
        ("Arbeitsuchende", 3),
        ("Familien", 3),
        ("ohne Angabe", 5),
    ]


def test_event_report_materials_by_title(world):
    assert summaries.event_report(world.e1).materials == [
        summaries.MaterialRow("Anerkennung", "de", 100, 40),
        summaries.MaterialRow("Bürgergeld", "tr", 50, 50),
    ]


def test_event_report_comments_newest_first_without_removed_or_empty(world):
    comments = summaries.event_report(world.e1).comments
    assert comments == [
        summaries.Comment(world.f3.submitted_at, "Zu laut", 3, "paper", False),
        summaries.Comment(world.f1.submitted_at, "Super Beratung", 5, "online", True),
    ]


def test_event_report_of_a_future_event_counts_no_held_event(world):
    report = summaries.event_report(world.future)
    assert report.figures.events_held == 0
    assert report.figures.contacts == 100


# locations_compared


def test_locations_compared_by_reach(world):
    alpha, beta = summaries.locations_compared(Filters(), order="reach")[::-1]
    assert beta == summaries.LocationRow(
        location=world.beta,
        events=1,
        event_hours=2.0,
        contacts=4,
        contacts_per_hour=2.0,
        feedback=2,
        feedback_per_event=2.0,
        average_overall=3.0,
        average_location=4.5,
        foot_traffic="high",
    )
    assert alpha == summaries.LocationRow(
        location=world.alpha,
        events=2,
        event_hours=10.0,
        contacts=16,
        contacts_per_hour=1.6,
        feedback=4,
        feedback_per_event=2.0,
        average_overall=4.25,
        average_location=2.5,
        foot_traffic="low",
    )


def test_locations_compared_order(world):
    by_reach = summaries.locations_compared(Filters())
    by_rating = summaries.locations_compared(Filters(), order="rating")
    assert [r.location.name for r in by_reach] == ["Beta", "Alpha"]
    assert [r.location.name for r in by_rating] == ["Alpha", "Beta"]


def test_locations_compared_district_is_selected(world, django_assert_num_queries):
    rows = summaries.locations_compared(Filters())
    with django_assert_num_queries(0):
        assert rows[0].location.district.name == "Weststadt"


def test_locations_compared_ties_by_name_and_none_last():
    start = at(date(2024, 2, 1), 10)
    for name in ("Zeta", "Eta", "Theta"):
        event = EventFactory(
            published=True,
            location=LocationFactory(name=name),
            start=start,
            end=start + timedelta(hours=2),
        )
        if name != "Theta":
            ContactCountFactory(event=event, quantity=4)
            feedback(event, rating_overall=3)
    by_reach = summaries.locations_compared(Filters())
    assert [(r.location.name, r.contacts_per_hour) for r in by_reach] == [
        ("Eta", 2.0),
        ("Zeta", 2.0),
        ("Theta", 0.0),
    ]
    by_rating = summaries.locations_compared(Filters(), order="rating")
    assert [(r.location.name, r.average_overall) for r in by_rating] == [
        ("Eta", 3.0),
        ("Zeta", 3.0),
        ("Theta", None),
    ]
    assert by_rating[-1].feedback_per_event == 0.0


def test_locations_compared_filters(world):
    rows = summaries.locations_compared(Filters(start=date(2024, 4, 1)))
    alpha = next(r for r in rows if r.location == world.alpha)
    assert (alpha.events, alpha.event_hours, alpha.contacts, alpha.feedback) == (
        1,
        6.0,
        6,
        0,
    )
    assert alpha.average_overall is None and alpha.feedback_per_event == 0.0
    rows = summaries.locations_compared(Filters(category=CAT.CAREER_DEVELOPMENT))
    assert [(r.location.name, r.events) for r in rows] == [("Alpha", 2)]
    assert summaries.locations_compared(Filters(district=DistrictFactory())) == []


def test_locations_compared_rejects_an_unknown_order():
    with pytest.raises(ValueError, match="order"):
        summaries.locations_compared(Filters(), order="name")


# channels


def test_channels_per_month_and_in_total(world):
    summary = summaries.channels(Filters())
    zero = dict.fromkeys(CH.values, 0)
    assert summary.periods == [
        summaries.ChannelPeriod(
            date(2024, 3, 1), {**zero, "passing_by": 2, "letter": 1}, 3
        ),
        summaries.ChannelPeriod(
            date(2024, 4, 1), {**zero, "poster": 1, "friends_family": 1}, 2
        ),
    ]
    totals = {r.key: (r.count, r.share) for r in summary.totals}
    assert [r.key for r in summary.totals] == list(CH.values)
    assert totals["passing_by"] == (2, 0.4)
    assert totals["website"] == (0, 0.0)
    assert summary.passing_by_share == 0.4
    assert summary.announced_share == 0.4  # poster + letter
    assert summary.word_of_mouth_share == 0.2


def test_channels_month_is_the_berlin_month_of_the_event():
    # 00:30 in Berlin on 1 May is 30 April in UTC.
    event = EventFactory(
        published=True, start=at(date(2024, 5, 1), 0, 30), end=at(date(2024, 5, 1), 2)
    )
    feedback(event, heard_via=CH.WEBSITE)
    feedback(event, heard_via="")
    (period,) = summaries.channels(Filters()).periods
    assert period.month == date(2024, 5, 1)
    assert period.total == 1 and period.counts["website"] == 1


def test_channels_with_filters_and_without_answers(world):
    summary = summaries.channels(Filters(location=world.beta))
    assert [p.month for p in summary.periods] == [date(2024, 4, 1)]
    empty = summaries.channels(Filters(start=date(2024, 4, 15)))
    assert empty.periods == []
    assert all(r.count == 0 and r.share is None for r in empty.totals)
    assert empty.passing_by_share is None
    assert empty.announced_share is None
    assert empty.word_of_mouth_share is None


# event_figures


def test_event_figures_hidden_below_five_feedbacks(world):
    assert summaries.event_figures(world.e1) is None
    assert summaries.event_figures(world.e3) is None


def test_event_figures_shown_at_exactly_five(world):
    feedback(world.e1, rating_overall=4, rating_consultation=5)
    assert summaries.event_figures(world.e1) == summaries.PublicFigures(
        contacts=10,
        feedback=5,
        consultation_helpful_share=0.75,  # 3 of 4 answers rated 4 or 5
        material_handed_out=90,
    )


# Query counts stay fixed however much data exists.

QUERIES = [
    ("overview", lambda w: summaries.overview(Filters()), 2),
    (
        "overview filtered",
        lambda w: summaries.overview(
            Filters(
                start=date(2024, 1, 1),
                end=date(2024, 12, 31),
                district=w.ost,
                category=CAT.CAREER_DEVELOPMENT,
            )
        ),
        2,
    ),
    ("event_report", lambda w: summaries.event_report(w.e1), 7),
    ("self_descriptions", lambda w: summaries.self_descriptions(Filters()), 1),
    ("locations_compared", lambda w: summaries.locations_compared(Filters()), 3),
    (
        "locations_compared by rating",
        lambda w: summaries.locations_compared(
            Filters(category=CAT.CHILDCARE), order="rating"
        ),
        3,
    ),
    ("channels", lambda w: summaries.channels(Filters()), 1),
    ("event_figures", lambda w: summaries.event_figures(w.e1), 1),
]


@pytest.mark.parametrize(
    ("call", "queries"),
    [(call, queries) for _name, call, queries in QUERIES],
    ids=[name for name, _call, _queries in QUERIES],
)
def test_query_count_is_fixed(world, call, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        small = call(world)
    add_volume(world)
    with django_assert_num_queries(queries):
        large = call(world)
    assert small != large  # the larger data set really changed the figures
