"""Calendars assembled from stored VEVENTs: the same bytes, never out of date."""

from datetime import date, timedelta

import pytest
import vobject
from django.core.cache import cache
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from events.calendar import PRODID, build_calendar, event_component, event_uid
from events.models import District, Event, ServiceOffering
from events.models.events import text_lookups
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
FEEDS = [
    "/kalender.ics",
    "/kalender/bezirk/oststadt.ics",
    "/kalender/angebot/kinderbetreuung.ics",
    "/uk/kalender.ics",
    "/uk/kalender/bezirk/oststadt.ics",
    "/en/kalender/angebot/kinderbetreuung.ics",
]


@pytest.fixture(autouse=True)
def _site_and_empty_cache(settings):
    settings.SITE_URL = SITE
    settings.PUBLIC_CACHE_SECONDS = 0  # no page cache: every request is built
    cache.clear()
    yield
    cache.clear()


def make_events(count: int, **kwargs) -> list[Event]:
    district = District.objects.filter(slug="oststadt").first()
    location = kwargs.pop("location", None) or LocationFactory(
        district=district or DistrictFactory(slug="oststadt")
    )
    services = [
        ServiceOfferingFactory(category=ServiceOffering.Category.CHILDCARE),
        ServiceOfferingFactory(),
    ]
    start = timezone.now() + timedelta(days=1)
    return [
        EventFactory(
            published=True,
            location=location,
            start=start + timedelta(days=n),
            services=services,
            **kwargs,
        )
        for n in range(count)
    ]


def translate(obj, code, **fields):
    obj.set_current_language(code)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    obj.set_current_language("de")


def body(client, path) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return response.content


def summaries(content: bytes) -> list[str]:
    return [str(c["SUMMARY"]) for c in Calendar.from_ical(content).walk("VEVENT")]


@pytest.mark.parametrize("path", FEEDS)
def test_a_calendar_from_stored_pieces_is_the_same_as_one_built_fresh(client, path):
    events = make_events(3)
    translate(events[0], "uk", title="День кварталу")
    EventFactory(published=True, cancelled=True, location=events[0].location)
    fresh = body(client, path)
    assert any("ics-vevent:" in key for key in cache._cache)
    stored = body(client, path)
    assert stored == fresh
    cache.clear()
    assert body(client, path) == fresh


def test_the_event_file_comes_from_the_same_pieces(client):
    (event,) = make_events(1)
    fresh = body(client, f"/veranstaltungen/{event.slug}.ics")
    body(client, "/kalender.ics")
    assert body(client, f"/veranstaltungen/{event.slug}.ics") == fresh


def test_lines_stay_crlf_and_folded_when_joined(client):
    make_events(3, description="Lange Beschreibung. " * 30)
    content = body(client, "/kalender.ics")
    content = body(client, "/kalender.ics")
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert content.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    lines = content.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert content.count(b"BEGIN:VTIMEZONE") == 1
    assert content.index(b"END:VTIMEZONE") < content.index(b"BEGIN:VEVENT")


def test_an_edited_title_shows_in_the_next_calendar(
    client, django_capture_on_commit_callbacks
):
    (event,) = make_events(1, title="Quartierstag")
    assert summaries(body(client, "/kalender.ics")) == ["Quartierstag"]
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Quartiersfest"
        event.save()
    assert summaries(body(client, "/kalender.ics")) == ["Quartiersfest"]


def test_an_edited_translation_shows_in_the_next_calendar(
    client, django_capture_on_commit_callbacks
):
    (event,) = make_events(1, title="Quartierstag")
    translate(event, "uk", title="День кварталу")
    assert summaries(body(client, "/uk/kalender.ics")) == ["День кварталу"]
    # Only the translation row is saved: the event's own row stays as it was.
    updated_at = Event.objects.get(pk=event.pk).updated_at
    row = event.translations.get(language_code="uk")
    with django_capture_on_commit_callbacks(execute=True):
        row.title = "Свято кварталу"
        row.save()
    assert Event.objects.get(pk=event.pk).updated_at == updated_at
    assert summaries(body(client, "/uk/kalender.ics")) == ["Свято кварталу"]
    assert summaries(body(client, "/kalender.ics")) == ["Quartierstag"]


def test_a_renamed_place_shows_in_the_next_calendar(
    client, django_capture_on_commit_callbacks
):
    (event,) = make_events(1)
    before = Calendar.from_ical(body(client, "/kalender/bezirk/oststadt.ics"))
    assert str(before.walk("VEVENT")[0]["LOCATION"]).startswith(event.location.name)
    with django_capture_on_commit_callbacks(execute=True):
        event.location.name = "Stadtteilzentrum Nord"
        event.location.save()
    after = Calendar.from_ical(body(client, "/kalender/bezirk/oststadt.ics"))
    location = str(after.walk("VEVENT")[0]["LOCATION"])
    assert location.startswith("Stadtteilzentrum Nord, ")


def test_a_renamed_service_shows_in_the_next_calendar(
    client, django_capture_on_commit_callbacks
):
    (event,) = make_events(1)
    body(client, "/kalender.ics")
    service = event.services.first()
    with django_capture_on_commit_callbacks(execute=True):
        service.title = "Hilfe beim Lebenslauf"
        service.save()
    content = Calendar.from_ical(body(client, "/kalender.ics"))
    assert "Hilfe beim Lebenslauf" in str(content.walk("VEVENT")[0]["DESCRIPTION"])


def test_a_cancellation_shows_in_the_next_calendar(
    client, django_capture_on_commit_callbacks
):
    (event,) = make_events(1, title="Quartierstag")
    body(client, f"/veranstaltungen/{event.slug}.ics")
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.CANCELLED
        event.save()
    for path in ("/kalender.ics", f"/veranstaltungen/{event.slug}.ics"):
        (component,) = Calendar.from_ical(body(client, path)).walk("VEVENT")
        assert str(component["STATUS"]) == "CANCELLED"
        assert str(component["SUMMARY"]) == "Abgesagt: Quartierstag"


def test_pieces_are_kept_per_language(client):
    (event,) = make_events(1, title="Quartierstag")
    translate(event, "uk", title="День кварталу")
    german = body(client, "/kalender.ics")
    ukrainian = body(client, "/uk/kalender.ics")
    english = body(client, "/en/kalender.ics")
    assert summaries(german) == ["Quartierstag"]
    assert summaries(ukrainian) == ["День кварталу"]
    assert summaries(english) == ["Quartierstag"]
    assert b"SUMMARY;LANGUAGE=uk:" in ukrainian
    assert b"SUMMARY;LANGUAGE=de:" in english
    assert b"DESCRIPTION;LANGUAGE=en:" in english
    assert b"/uk/veranstaltungen/" in ukrainian
    # Stored, each language still gets its own.
    assert body(client, "/kalender.ics") == german
    assert body(client, "/uk/kalender.ics") == ukrainian
    assert body(client, "/en/kalender.ics") == english


def test_pieces_outlive_the_page_cache_and_follow_the_site_address(client, settings):
    make_events(1)
    assert f"{SITE}/veranstaltungen/".encode() in body(client, "/kalender.ics")
    settings.SITE_URL = "https://termine.example.org"
    content = body(client, "/kalender.ics")
    assert b"https://termine.example.org/veranstaltungen/" in content
    assert SITE.encode() not in content


@pytest.mark.parametrize("path", FEEDS)
def test_calendars_parse_with_a_second_independent_parser(client, path):
    events = make_events(2, title="Beratung für „Alle“ – Straße")
    translate(events[0], "uk", title="Консультація")
    EventFactory(published=True, cancelled=True, location=events[0].location)
    for _ in range(2):  # built, then from stored pieces
        content = body(client, path).decode()
        parsed = vobject.readOne(content)
        uids = {str(vevent.uid.value) for vevent in parsed.vevent_list}
        expected = {event_uid(e) for e in Event.objects.public()}
        if "angebot" not in path:
            assert uids == expected
        assert all(vevent.dtstart.value.tzinfo for vevent in parsed.vevent_list)
        assert parsed.vtimezone.tzid.value == "Europe/Berlin"
        assert len(Calendar.from_ical(content).walk("VEVENT")) == len(uids)


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        body(client, path)
    return len(context)


@pytest.mark.parametrize("path", [*FEEDS, "/veranstaltungen/{slug}.ics"])
def test_query_counts_do_not_grow_from_5_to_50_events(client, path):
    counts = []
    for count in (5, 50):
        Event.objects.all().delete()
        cache.clear()
        events = make_events(count)
        url = path.format(slug=events[0].slug)
        built, stored = queries(client, url), queries(client, url)
        counts.append((built, stored))
        assert stored <= built
    assert counts[0] == counts[1]


def test_a_calendar_from_stored_pieces_reads_only_the_feed_entries(
    client, django_assert_num_queries
):
    make_events(20)
    body(client, "/kalender.ics")
    with django_assert_num_queries(2):  # the recent past and what is coming
        content = body(client, "/kalender.ics")
    assert content.count(b"BEGIN:VEVENT") == 20


def test_joined_pieces_are_what_icalendar_writes_for_the_whole_calendar():
    make_events(3, description="Lange Beschreibung. " * 20)
    events = list(Event.objects.select_related("location").order_by("start"))
    prefetch_related_objects(events, *text_lookups())
    whole = Calendar()
    whole.add("prodid", PRODID)
    whole.add("version", "2.0")
    whole.add("calscale", "GREGORIAN")
    whole.add("x-wr-timezone", "Europe/Berlin")
    for event in events:
        whole.add_component(event_component(event))
    first, last = events[0].start, events[-1].end
    whole.add_missing_timezones(
        first_date=date(timezone.localdate(first).year, 1, 1),
        last_date=date(timezone.localdate(last).year, 12, 31),
    )
    assert build_calendar(events) == whole.to_ical()  # built
    assert build_calendar(events) == whole.to_ical()  # from stored pieces
