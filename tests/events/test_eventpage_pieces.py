"""The event page and the Atom feeds from stored pieces: same bytes, never stale."""

from datetime import timedelta
from xml.dom import minidom
from xml.etree import ElementTree

import pytest
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed

from events import event_page
from events.feeds import NewEventsFeed, ReviewsFeed
from events.models import Event, Review
from events.reviews import review_of
from events.selectors import event_for_page
from events.translation import page_template
from tests.events.test_review_pages import publish_review
from tests.factories import EventFactory, LocationFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGES = ["de", "en", "ar", "uk", "de-x-ls"]


@pytest.fixture(autouse=True)
def _site_and_empty_cache(settings):
    settings.SITE_URL = SITE
    settings.PUBLIC_CACHE_SECONDS = 0  # no page cache: every request is built
    cache.clear()
    yield
    cache.clear()


def prefix(language: str) -> str:
    return "" if language == "de" else f"/{language}"


def translate(obj, code, **fields):
    obj.set_current_language(code)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    obj.set_current_language("de")


def make_event(days: float = 3, **kwargs) -> Event:
    start = timezone.now() + timedelta(days=days)
    kwargs.setdefault("status", Event.Status.PUBLISHED)
    kwargs.setdefault("motto", "Wir für Sie")
    event = EventFactory(
        start=start,
        end=start + timedelta(hours=4),
        location=kwargs.pop("location", None) or LocationFactory(),
        services=[ServiceOfferingFactory(), ServiceOfferingFactory()],
        description="Beratung <ohne> Termin & mehr.",
        **kwargs,
    )
    translate(event, "ar", title="يوم الاستشارة")
    return event


def mixed_events() -> list[Event]:
    location = LocationFactory()
    # Without a motto: the description is base.html's own (block.super).
    upcoming = make_event(location=location, title="Kommend", motto="")
    cancelled = make_event(days=5, location=location, status=Event.Status.CANCELLED)
    feedback = make_event(days=-1, location=location, title="Gestern")
    reviewed = make_event(days=-10, location=location, title="Mit Rückblick")
    publish_review(reviewed)
    return [upcoming, cancelled, feedback, reviewed]


def whole_template(response, slug: str, language: str) -> bytes:
    """The page as the view built it before: the whole template in one render."""
    with translation.override(language):
        event = event_for_page(slug)
        is_past = event.is_past()
        review = review_of(event) if is_past else None
        context = event_page.page_context(
            event,
            is_preview=False,
            is_past=is_past,
            feedback_open=event.feedback_open(),
            review=review,
        )
        if is_past:
            context["review_section"] = render_to_string(
                "events/includes/review.html", {"review": review}
            )
        page = page_template("events/detail.html")
        return render(response.wsgi_request, page, context).content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_page_from_stored_blocks_is_the_whole_template(client, language):
    for event in mixed_events():
        with translation.override("de"):
            url = prefix(language) + event.get_absolute_url()
        built = client.get(url)
        stored = client.get(url)
        assert built.status_code == stored.status_code == 200
        assert stored.content == built.content
        assert built.content == whole_template(built, event.slug, language)
        assert built.get("Last-Modified") == stored.get("Last-Modified")


@pytest.mark.parametrize("count", [10, 200])
def test_event_page_queries_do_not_grow(client, django_assert_num_queries, count):
    location = LocationFactory()
    events = [make_event(days=1 + n / 10, location=location) for n in range(count)]
    url = events[count // 2].get_absolute_url()
    # Built: the event, then its texts, place texts, services (with texts),
    # target groups.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    # From the stored blocks: the event alone.
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_an_edit_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    event = make_event(title="Alter Titel")
    client.get(event.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Neuer Titel"
        event.save()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Neuer Titel" in html
    assert "Alter Titel" not in html


def test_a_renamed_place_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = make_event()
    client.get(event.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        event.location.name = "Neuer Treffpunkt"
        event.location.save()
    assert "Neuer Treffpunkt" in client.get(event.get_absolute_url()).content.decode()


def test_a_cancellation_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = make_event()
    assert (
        "cancelled-notice" not in client.get(event.get_absolute_url()).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.CANCELLED
        event.save()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "cancelled-notice" in html
    assert "EventCancelled" in html


def test_a_published_review_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = make_event(days=-10)
    assert "review-heading" not in client.get(event.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        review = publish_review(event, headline="So war der Tag")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "So war der Tag" in html
    assert '"@type": "Article"' in html
    with django_capture_on_commit_callbacks(execute=True):
        review.headline = "So war es wirklich"
        review.save()
    assert "So war es wirklich" in client.get(event.get_absolute_url()).content.decode()


def test_the_page_follows_the_clock_without_an_edit(client):
    """Over, feedback open, feedback closed: no edit, no new generation."""
    event = make_event(days=1)
    url = event.get_absolute_url()
    assert "feedback-box" not in client.get(url).content.decode()
    now = timezone.now()
    # Moved in time behind the model's back: updated_at and generation stay.
    Event.objects.filter(pk=event.pk).update(
        start=now - timedelta(hours=5), end=now - timedelta(hours=1)
    )
    response = client.get(url)
    assert "feedback-box" in response.content.decode()
    Event.objects.filter(pk=event.pk).update(
        start=now - timedelta(days=100), end=now - timedelta(days=100, hours=-4)
    )
    response = client.get(url)
    assert "feedback-box" not in response.content.decode()
    assert response.content == whole_template(response, event.slug, "de")


def test_a_draft_preview_is_never_stored(staff_client, monkeypatch):
    draft = make_event(status=Event.Status.DRAFT, title="Entwurf")

    def refuse(*args, **kwargs):
        raise AssertionError("a draft's page was stored")

    monkeypatch.setattr(event_page, "stored_pieces", refuse)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "preview-banner" in html
    assert 'name="robots" content="noindex"' in html
    assert "Entwurf" in html


# The Atom feeds.


class PlainNewEvents(NewEventsFeed):
    """The feed as Django's generator writes it, item by item (the old path)."""

    feed_type = Atom1Feed

    def items(self, obj=None):
        return [self.load([row.pk])[row.pk] for row in self.rows()]

    def get_feed(self, obj, request):
        return Feed.get_feed(self, obj, request)


class PlainReviews(ReviewsFeed):
    feed_type = Atom1Feed

    def items(self, obj=None):
        return [self.load([row.pk])[row.pk] for row in self.rows()]

    def get_feed(self, obj, request):
        return Feed.get_feed(self, obj, request)


def feed_bytes(feed_class, path: str, language: str) -> bytes:
    request = RequestFactory().get(prefix(language) + path)
    with translation.override(language):
        return feed_class()(request).content


@pytest.mark.parametrize("language", LANGUAGES)
def test_atom_feeds_from_stored_entries_are_what_django_writes(language):
    events = mixed_events()
    publish_review(events[2], headline="Auch <gut> & schön")
    for stored, plain, path in [
        (NewEventsFeed, PlainNewEvents, "/feed.atom"),
        (ReviewsFeed, PlainReviews, "/rueckblicke.atom"),
    ]:
        built = feed_bytes(stored, path, language)
        again = feed_bytes(stored, path, language)  # from the stored entries
        assert built == again == feed_bytes(plain, path, language)
        # Two independent parsers read the same entries.
        feed = ElementTree.fromstring(again)
        ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
        document = minidom.parseString(again)
        assert [
            entry.getElementsByTagName("id")[0].firstChild.data
            for entry in document.getElementsByTagName("entry")
        ] == ids
        assert ids


def test_an_empty_feed_is_still_a_feed():
    feed = ElementTree.fromstring(feed_bytes(NewEventsFeed, "/feed.atom", "de"))
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated")


@pytest.mark.parametrize("count", [10, 200])
def test_atom_queries_do_not_grow(client, django_assert_num_queries, count):
    location = LocationFactory()
    for n in range(count):
        make_event(days=1 + n / 10, location=location)
    # Built: the rows, the missing events, their texts, place texts, services
    # (with their texts).
    with django_assert_num_queries(6):
        assert client.get("/feed.atom").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/feed.atom").status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_review_feed_queries_do_not_grow(client, django_assert_num_queries, count):
    location = LocationFactory()
    for n in range(count):
        publish_review(make_event(days=-10 - n, location=location))
    # Built: the rows, the missing reviews with their event and place, texts
    # of reviews, events and places, photos (with their texts).
    with django_assert_num_queries(7):
        assert client.get("/rueckblicke.atom").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/rueckblicke.atom").status_code == 200


def test_feed_edits_show_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = make_event(title="Alter Titel")
    client.get("/feed.atom")
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Neuer Titel"
        event.save()
    assert "Neuer Titel" in client.get("/feed.atom").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.CANCELLED
        event.save()
    feed = ElementTree.fromstring(client.get("/feed.atom").content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").endswith("Neuer Titel")
    assert entry.findtext(f"{ATOM}title") != "Neuer Titel"
    assert feed.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}updated")


def test_an_unpublished_review_leaves_the_feed(
    client, django_capture_on_commit_callbacks
):
    review = publish_review(make_event(days=-10), headline="Bald weg")
    assert "Bald weg" in client.get("/rueckblicke.atom").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        review.status = Review.Status.DRAFT
        review.save()
    assert "Bald weg" not in client.get("/rueckblicke.atom").content.decode()
