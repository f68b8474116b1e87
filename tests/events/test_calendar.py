"""Calendar files: one event (.ics) and the subscribable feeds (RFC 5545)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from icalendar import Calendar

from events.calendar import build_calendar, event_uid
from events.models import Event, ServiceOffering
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def uids(response) -> set[str]:
    return {str(component["UID"]) for component in vevents(parse(response))}


def days_ago(days: int, hour: int = 10):
    return timezone.localtime().replace(
        hour=hour, minute=0, second=0, microsecond=0
    ) - timedelta(days=days)


# One event (.ics)


def test_event_file_carries_every_required_property(client):
    service = ServiceOfferingFactory(title="Bewerbungsmappen-Check")
    event = EventFactory(
        published=True,
        title="Jobcenter im Quartier Oststadt",
        services=[service],
        location=LocationFactory(
            name="Quartierswerkstatt", street="Kronprinzenstraße 60", postcode="75177"
        ),
    )
    response = client.get(f"/veranstaltungen/{event.slug}.ics")
    calendar = parse(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Quartier" in str(calendar["PRODID"])
    (component,) = vevents(calendar)
    assert str(component["UID"]) == f"event-{event.pk}@quartier.example.org"
    assert component["SUMMARY"] == "Jobcenter im Quartier Oststadt"
    assert component["LOCATION"] == (
        "Quartierswerkstatt, Kronprinzenstraße 60, 75177 Pforzheim"
    )
    assert component["URL"] == f"{SITE}/veranstaltungen/{event.slug}/"
    assert "Bewerbungsmappen-Check" in component["DESCRIPTION"]
    assert component["STATUS"] == "CONFIRMED"
    assert component["SEQUENCE"] == event.sequence
    assert "DTSTAMP" in component
    assert component.decoded("DTSTART") == event.start
    assert component.decoded("DTEND") == event.end
    assert component["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert component["DTEND"].params["TZID"] == "Europe/Berlin"
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"


def test_event_file_is_an_attachment_named_after_the_slug(client):
    event = EventFactory(published=True)
    response = client.get(f"/veranstaltungen/{event.slug}.ics")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{event.slug}.ics"'
    )


def test_start_is_written_in_berlin_local_time(client):
    event = EventFactory(published=True)
    body = client.get(f"/veranstaltungen/{event.slug}.ics").content.decode()
    local = timezone.localtime(event.start)
    assert f"DTSTART;TZID=Europe/Berlin:{local:%Y%m%dT%H%M%S}\r\n" in body


def test_lines_end_in_crlf_and_are_folded_at_75_octets(client):
    event = EventFactory(
        published=True,
        title="Jobcenter im Quartier – Beratung für Familien " * 4,
        description="Persönliche Beratung ohne Termin, übersetzt ins Türkische. " * 8,
    )
    body = client.get(f"/veranstaltungen/{event.slug}.ics").content
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # some were folded


def test_uid_stays_when_title_and_slug_change_and_sequence_grows(client):
    event = EventFactory(published=True)
    first = vevents(parse(client.get(f"/veranstaltungen/{event.slug}.ics")))[0]
    event.title = "Neuer Titel"
    event.slug = "neuer-titel"
    event.save()
    second = vevents(parse(client.get("/veranstaltungen/neuer-titel.ics")))[0]
    assert second["UID"] == first["UID"] == event_uid(event)
    assert second["SEQUENCE"] > first["SEQUENCE"]


def test_the_uid_carries_the_calendar_uid_domain(client, settings):
    settings.CALENDAR_UID_DOMAIN = "quartier.example.org"
    event = EventFactory(published=True)
    component = vevents(parse(client.get(f"/veranstaltungen/{event.slug}.ics")))[0]
    assert str(component["UID"]) == f"event-{event.pk}@quartier.example.org"


def test_old_slug_redirects_to_the_new_file(client):
    event = EventFactory(published=True)
    old = event.slug
    event.slug = "umbenannt"
    event.save()
    response = client.get(f"/veranstaltungen/{old}.ics")
    assert response.status_code == 301
    assert response["Location"] == "/veranstaltungen/umbenannt.ics"


def test_cancelled_event_file_says_cancelled(client):
    event = EventFactory(cancelled=True, title="Stand am Markt")
    (component,) = vevents(parse(client.get(f"/veranstaltungen/{event.slug}.ics")))
    assert component["STATUS"] == "CANCELLED"
    assert "Stand am Markt" in component["SUMMARY"]


@pytest.mark.parametrize("slug", ["gibt-es-nicht", "x" * 300])
def test_unknown_event_file_is_404(client, slug):
    assert client.get(f"/veranstaltungen/{slug}.ics").status_code == 404


def test_draft_has_no_file(client):
    draft = EventFactory()
    assert client.get(f"/veranstaltungen/{draft.slug}.ics").status_code == 404


def test_line_breaks_in_a_title_cannot_inject_properties(client):
    event = EventFactory(
        published=True, title="Beratung\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil"
    )
    calendar = parse(client.get(f"/veranstaltungen/{event.slug}.ics"))
    (component,) = vevents(calendar)
    assert str(component["UID"]) == event_uid(event)


def test_post_is_not_allowed(client):
    event = EventFactory(published=True)
    assert client.post(f"/veranstaltungen/{event.slug}.ics").status_code == 405


# Subscribable feeds


def test_feed_is_a_named_subscription_with_refresh_interval(client):
    EventFactory(published=True)
    response = client.get("/kalender.ics")
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]) == "Jobcenter im Quartier: alle Termine"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content.decode()
    assert "Content-Disposition" not in response


def test_feed_has_published_and_cancelled_events_but_never_drafts(client):
    published = EventFactory(published=True)
    cancelled = EventFactory(cancelled=True)
    EventFactory()
    assert uids(client.get("/kalender.ics")) == {
        event_uid(published),
        event_uid(cancelled),
    }


def test_feed_keeps_recent_past_and_drops_older_events(client):
    recent = EventFactory(published=True, start=days_ago(30))
    EventFactory(published=True, start=days_ago(120))
    upcoming = EventFactory(published=True)
    assert uids(client.get("/kalender.ics")) == {
        event_uid(recent),
        event_uid(upcoming),
    }


def test_empty_feed_is_still_a_valid_calendar(client):
    calendar = parse(client.get("/kalender.ics"))
    assert vevents(calendar) == []
    assert str(calendar["VERSION"]) == "2.0"


def test_district_feed_has_only_that_district(client):
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    inside = EventFactory(published=True, location__district=oststadt)
    EventFactory(published=True)
    response = client.get("/kalender/bezirk/oststadt.ics")
    assert uids(response) == {event_uid(inside)}
    assert "Oststadt" in str(parse(response)["X-WR-CALNAME"])


def test_category_feed_has_each_matching_event_once(client):
    childcare = ServiceOffering.Category.CHILDCARE
    two = [ServiceOfferingFactory(category=childcare) for _ in range(2)]
    inside = EventFactory(published=True, services=two)
    EventFactory(published=True, services=[ServiceOfferingFactory()])
    calendar = parse(client.get(f"/kalender/angebot/{childcare}.ics"))
    assert [str(c["UID"]) for c in vevents(calendar)] == [event_uid(inside)]
    assert str(calendar["X-WR-CALNAME"]).endswith("Kinderbetreuung")


@pytest.mark.parametrize(
    "path",
    [
        "/kalender/bezirk/gibt-es-nicht.ics",
        "/kalender/angebot/gibt-es-nicht.ics",
        "/kalender/angebot/CHILDCARE.ics",
    ],
)
def test_unknown_district_or_category_is_404(client, path):
    assert client.get(path).status_code == 404


def test_feed_is_capped_at_the_nearest_upcoming_events(client, monkeypatch):
    monkeypatch.setattr("events.calendar.MAX_UPCOMING_EVENTS", 3)
    events = [
        EventFactory(published=True, start=timezone.now() + timedelta(days=days))
        for days in (5, 1, 4, 2, 3)
    ]
    nearest = sorted(events, key=lambda event: event.start)[:3]
    assert uids(client.get("/kalender.ics")) == {event_uid(e) for e in nearest}


def test_a_long_past_never_crowds_out_upcoming_events(client, monkeypatch):
    monkeypatch.setattr("events.calendar.MAX_RECENT_EVENTS", 1)
    monkeypatch.setattr("events.calendar.MAX_UPCOMING_EVENTS", 1)
    EventFactory(published=True, start=days_ago(20))
    latest_past = EventFactory(published=True, start=days_ago(10))
    upcoming = EventFactory(published=True)
    calendar = parse(client.get("/kalender.ics"))
    assert [str(c["UID"]) for c in vevents(calendar)] == [
        event_uid(latest_past),
        event_uid(upcoming),
    ]


def test_english_feed_speaks_english(client):
    EventFactory(published=True)
    calendar = parse(client.get("/en/kalender.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "Jobcenter im Quartier: all dates"
    (component,) = vevents(calendar)
    assert component["URL"].startswith(f"{SITE}/en/veranstaltungen/")


def make_events(count: int) -> None:
    district = DistrictFactory(slug="oststadt")
    location = LocationFactory(district=district)
    services = [
        ServiceOfferingFactory(category=ServiceOffering.Category.CHILDCARE),
        ServiceOfferingFactory(),
    ]
    start = timezone.now() + timedelta(days=1)
    for n in range(count):
        EventFactory(
            published=True,
            location=location,
            start=start + timedelta(days=n),
            services=services,
        )


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # Built afresh: the feed's entries (2), the events whose VEVENT is not
        # stored (1), their texts and services (4). From stored pieces: 2.
        ("/kalender.ics", 7),
        ("/kalender/bezirk/oststadt.ics", 8),
        ("/kalender/angebot/kinderbetreuung.ics", 7),
    ],
)
def test_feed_queries_do_not_grow(
    client, django_assert_max_num_queries, count, path, queries
):
    make_events(count)
    with django_assert_max_num_queries(queries):
        response = client.get(path)
    assert len(vevents(parse(response))) == count


def test_event_file_queries_are_fixed(client, django_assert_max_num_queries):
    services = ServiceOfferingFactory.create_batch(5)
    event = EventFactory(published=True, services=services)
    with django_assert_max_num_queries(5):
        parse(client.get(f"/veranstaltungen/{event.slug}.ics"))


# Caching and revalidation


def test_unchanged_feed_answers_304_to_its_etag(client):
    EventFactory(published=True)
    first = client.get("/kalender.ics")
    assert first.has_header("ETag")
    again = client.get("/kalender.ics", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_unchanged_event_file_answers_304_to_its_etag(client):
    event = EventFactory(published=True)
    first = client.get(f"/veranstaltungen/{event.slug}.ics")
    again = client.get(
        f"/veranstaltungen/{event.slug}.ics",
        headers={"If-None-Match": first["ETag"]},
    )
    assert again.status_code == 304


def test_a_change_gives_a_new_etag(client):
    event = EventFactory(published=True)
    first = client.get("/kalender.ics")
    event.title = "Verschoben"
    event.save()
    again = client.get("/kalender.ics", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_feeds_come_from_the_public_cache(client, settings, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    EventFactory(published=True)
    client.get("/kalender.ics")
    with django_assert_num_queries(0):
        response = client.get("/kalender.ics")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    cache.clear()


# The pure builder


def test_builder_output_is_the_same_for_the_same_rows():
    EventFactory(published=True)
    events = Event.objects.select_related("location")
    assert build_calendar(events) == build_calendar(events)
