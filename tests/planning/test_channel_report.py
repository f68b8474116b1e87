"""The channel report on a small hand-made history: every number checked by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Feedback
from feedback.summaries import Filters
from planning import selectors
from planning.models import Announcement
from tests.factories import (
    ContactCountFactory,
    DistrictFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
)
from tests.feedback.test_reports_views import held_event

pytestmark = pytest.mark.django_db

Channel = Announcement.Channel


def done(event, channel, quantity=None, details="", done=True):
    day = timezone.localdate(event.start) - timedelta(days=10)
    return Announcement.objects.create(
        event=event,
        channel=channel,
        planned_for=day,
        done_on=day if done else None,
        quantity=quantity,
        details=details,
    )


def heard(event, channel, times=1):
    for _ in range(times):
        FeedbackFactory(event=event, heard_via=channel)


@pytest.fixture
def history():
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    weststadt = DistrictFactory(name="Weststadt", slug="weststadt")
    markt = LocationFactory(name="Marktplatz", district=oststadt)
    hof = LocationFactory(name="Innenhof", district=weststadt)
    first = held_event(60, markt, title="Erster")
    second = held_event(30, hof, title="Zweiter")
    third = held_event(10, markt, title="Dritter")
    coming = EventFactory(published=True, location=markt)  # not held: left out
    draft = held_event(20, hof, title="Entwurf")
    draft.status = draft.Status.DRAFT
    draft.save()
    # First: posters at the supermarket and letters; 30 contacts.
    done(first, Channel.POSTER, 20, "Supermarkt Oststadt")
    done(first, Channel.LETTER, 100, "Kundenbrief")
    ContactCountFactory(event=first, quantity=30)
    heard(first, Feedback.Channel.POSTER, 4)
    heard(first, Feedback.Channel.LETTER)
    # Second: letters only (posters planned, never put up); 10 contacts.
    done(second, Channel.LETTER, 50, "  Kundenbrief ")
    done(second, Channel.POSTER, 5, "Bäckerei", done=False)
    ContactCountFactory(event=second, quantity=10)
    heard(second, Feedback.Channel.LETTER)
    heard(second, Feedback.Channel.POSTER)  # posters were not up: not counted
    # Third: posters at the library and the press; 20 contacts.
    done(third, Channel.POSTER, 10, "Bibliothek")
    done(third, Channel.PRESS, None, "Pforzheimer Zeitung")
    ContactCountFactory(event=third, quantity=20)
    heard(third, Feedback.Channel.POSTER)
    heard(third, Feedback.Channel.OTHER)
    # Not held or not published: none of this counts.
    for event in (coming, draft):
        done(event, Channel.POSTER, 99, "Supermarkt Oststadt")
        ContactCountFactory(event=event, quantity=99)
    return {"first": first, "second": second, "third": third, "oststadt": oststadt}


def rows_by_channel(report):
    return {row.channel: row for row in report.rows}


def test_per_channel_figures(history, django_assert_num_queries):
    with django_assert_num_queries(3):
        report = selectors.channel_report()
    assert (report.events, report.contacts) == (3, 60)
    rows = rows_by_channel(report)
    poster, letter = rows["poster"], rows["letter"]
    assert (poster.events, poster.quantity, poster.heard) == (2, 30, 5)
    assert poster.heard_per_event == 2.5
    assert (poster.contacts_with, poster.contacts_without) == (25, 10)
    assert (letter.events, letter.quantity, letter.heard) == (2, 150, 2)
    assert letter.heard_per_event == 1
    assert (letter.contacts_with, letter.contacts_without) == (20, 20)
    # Posters brought more people than the letters did.
    assert poster.heard_per_event > letter.heard_per_event


def test_channels_without_a_matching_answer_have_contacts_only(history):
    rows = rows_by_channel(selectors.channel_report())
    press = rows["press"]
    assert press.answer is None and press.heard is None
    assert (press.events, press.contacts_with, press.contacts_without) == (1, 20, 20)
    assert rows["email_alerts"].heard is None


def test_an_unused_channel_shows_no_averages(history):
    website = rows_by_channel(selectors.channel_report())["website"]
    assert (website.events, website.quantity, website.heard) == (0, 0, 0)
    assert website.heard_per_event is None and website.contacts_with is None
    assert website.contacts_without == 20


def test_places_compared(history):
    places = [
        (p.channel, p.place, p.events, p.quantity, p.heard, p.contacts_per_event)
        for p in selectors.channel_report().places
    ]
    assert places == [
        ("letter", "Kundenbrief", 2, 150, 2, 20),
        ("poster", "Supermarkt Oststadt", 1, 20, 4, 30),
        ("poster", "Bibliothek", 1, 10, 1, 20),
    ]


def test_filters_narrow_the_events(history):
    report = selectors.channel_report(Filters(district=history["oststadt"]))
    rows = rows_by_channel(report)
    assert (report.events, report.contacts) == (2, 50)
    assert rows["letter"].events == 1 and rows["letter"].contacts_without == 20
    assert (
        selectors.channel_report(
            Filters(start=timezone.localdate() + timedelta(days=1))
        )
        .rows[0]
        .events
        == 0
    )


def test_no_history_gives_empty_figures():
    report = selectors.channel_report()
    assert (report.events, report.contacts, report.places) == (0, 0, [])
    assert all(row.contacts_without is None for row in report.rows)
