"""The Atom feed of newly published events, and its reusable base."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from events.feeds import AtomFeed
from events.formatting import event_date_range
from events.models import Event
from tests.factories import EventFactory, LocationFactory

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def parse(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def entries(feed) -> list:
    return feed.findall(f"{ATOM}entry")


def titles(feed) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def published(event: Event, *, days_ago: int) -> Event:
    Event.objects.filter(pk=event.pk).update(
        published_at=timezone.now() - timedelta(days=days_ago)
    )
    return event


def test_newest_publication_comes_first(client):
    published(EventFactory(published=True, title="Älter"), days_ago=3)
    published(EventFactory(published=True, title="Neuer"), days_ago=1)
    published(EventFactory(published=True, title="Mitte"), days_ago=2)
    assert titles(parse(client.get("/feed.atom"))) == ["Neuer", "Mitte", "Älter"]


def test_drafts_are_never_in_the_feed(client):
    EventFactory(title="Entwurf")
    EventFactory(published=True, title="Öffentlich")
    assert titles(parse(client.get("/feed.atom"))) == ["Öffentlich"]


def test_feed_has_exactly_the_public_events_of_every_status(client):
    for status in Event.Status.values:
        EventFactory(status=status, title=status)
    Event.objects.update(published_at=timezone.now())
    expected = {event.title for event in Event.objects.public()}
    assert set(titles(parse(client.get("/feed.atom")))) == {
        title if title != "cancelled" else "Abgesagt: cancelled" for title in expected
    }


def test_cancelled_event_is_marked(client):
    event = EventFactory(published=True, title="Stand am Markt")
    event.status = Event.Status.CANCELLED
    event.save()
    assert titles(parse(client.get("/feed.atom"))) == ["Abgesagt: Stand am Markt"]


def test_links_and_ids_are_absolute_and_stable(client):
    event = EventFactory(published=True)
    feed = parse(client.get("/feed.atom"))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feed.atom"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/"
    (entry,) = entries(feed)
    assert entry.find(f"{ATOM}link").get("href") == (
        f"{SITE}/veranstaltungen/{event.slug}/"
    )
    first_id = entry.findtext(f"{ATOM}id")
    assert first_id == f"tag:quartier.example.org,2024:event-{event.pk}"
    event.slug = "neu"
    event.title = "Neuer Titel"
    event.save()
    (entry,) = entries(parse(client.get("/feed.atom")))
    assert entry.findtext(f"{ATOM}id") == first_id


def test_entries_carry_published_and_updated_dates(client):
    EventFactory(published=True)
    feed = parse(client.get("/feed.atom"))
    assert feed.findtext(f"{ATOM}updated")
    (entry,) = entries(feed)
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")


def test_summary_has_date_place_and_escapes_markup(client):
    event = EventFactory(
        published=True,
        motto="<script>alert(1)</script>",
        location=LocationFactory(name="Quartierswerkstatt"),
    )
    (entry,) = entries(parse(client.get("/feed.atom")))
    summary = entry.findtext(f"{ATOM}summary")
    assert "Quartierswerkstatt" in summary
    with translation.override("de"):
        assert event_date_range(event.start, event.end) in summary
    assert "<script>" not in summary
    assert "&lt;script&gt;" in summary


def test_feed_speaks_the_language_of_its_prefix(client):
    EventFactory(published=True)
    german = parse(client.get("/feed.atom"))
    english = parse(client.get("/en/feed.atom"))
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert german.get(lang) == "de"
    assert english.get(lang) == "en"
    assert german.findtext(f"{ATOM}title") != english.findtext(f"{ATOM}title")
    (entry,) = entries(english)
    assert entry.find(f"{ATOM}link").get("href").startswith(f"{SITE}/en/")


@pytest.mark.parametrize("count", [10, 200])
def test_feed_queries_do_not_grow(client, django_assert_max_num_queries, count):
    location = LocationFactory()
    for _ in range(count):
        EventFactory(published=True, location=location)
    # The rows, then the events of the entries not stored yet and their texts.
    with django_assert_max_num_queries(5):
        feed = parse(client.get("/feed.atom"))
    assert len(entries(feed)) == min(count, AtomFeed.limit)
    with django_assert_max_num_queries(1):  # every entry stored
        again = parse(client.get("/feed.atom"))
    assert len(entries(again)) == min(count, AtomFeed.limit)


def test_unchanged_feed_answers_304_to_its_etag(client):
    EventFactory(published=True)
    first = client.get("/feed.atom")
    again = client.get("/feed.atom", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_feed_comes_from_the_public_cache(client, settings, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    EventFactory(published=True)
    client.get("/feed.atom")
    with django_assert_num_queries(0):
        response = client.get("/feed.atom")
    assert "max-age=60" in response["Cache-Control"]
    cache.clear()


def test_base_class_makes_a_new_feed_in_a_few_lines(rf):
    class CancelledFeed(AtomFeed):
        url_name = "events:atom"
        title = "Abgesagt"
        guid_prefix = "cancelled"

        def items(self):
            return Event.objects.filter(status=Event.Status.CANCELLED)

    event = EventFactory(cancelled=True)
    request = rf.get("/feed.atom")
    feed = ElementTree.fromstring(CancelledFeed()(request).content)
    (entry,) = entries(feed)
    assert entry.find(f"{ATOM}link").get("href") == f"{SITE}{event.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}id").endswith(f":cancelled-{event.pk}")


def test_feed_body_is_sent_as_one_piece(client):
    EventFactory.create_batch(3, published=True)
    response = client.get("/feed.atom")
    # A WSGI server writes each piece to the socket on its own.
    assert len(list(response)) == 1
