"""The lists from stored cards: the same page, a fixed number of queries, never stale."""

from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from events.forms import EventFilterForm
from events.models import Event, Review, ReviewPhoto
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

FILTERED = {"bezirk": "oststadt", "angebot": "integration", "zielgruppe": "familien"}


@pytest.fixture(autouse=True)
def _uncached_pages_and_no_pieces(settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # every request builds its page
    cache.clear()
    with translation.override("de"):
        yield
    cache.clear()


def at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def event_on(days: int, hour: int = 10, **kwargs) -> Event:
    start = at(days, hour)
    kwargs.setdefault("published", True)
    return EventFactory(start=start, end=start + timedelta(hours=4), **kwargs)


def fill(count: int) -> None:
    district = DistrictFactory(slug="oststadt")
    services = [
        ServiceOfferingFactory(category=c)
        for c in ("kinderbetreuung", "integration", "berufliche-entwicklung")
    ]
    group = TargetGroupFactory(slug="familien")
    location = LocationFactory(district=district)
    for n in range(count // 2):  # half coming, half past
        event_on(
            2 + n % 50,
            hour=8 + n % 10,
            location=location,
            services=services,
            target_groups=[group],
        )
        event_on(-2 - n % 50, hour=8 + n % 10, location=location, services=services)


def review(event: Event, photos: int = 1) -> Review:
    published = Review.objects.create(
        event=event,
        headline="So war es",
        lead="Viele Gespräche.",
        body="<p>Gut.</p>",
        status=Review.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    for n in range(photos):
        ReviewPhoto.objects.create(
            review=published,
            image=f"reviews/tag-{published.pk}-{n}.jpg",
            width=1200,
            height=800,
            alt_text=f"Stand {n}",
            credit="Jobcenter",
            position=n,
        )
    return published


def get(client, path, params=None) -> str:
    response = client.get(path, params or {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("params", [{}, FILTERED, {**FILTERED, "seite": "2"}])
def test_home_queries_are_fixed_built_and_stored(
    client, django_assert_num_queries, count, params
):
    fill(count)
    # The length of the longest upcoming event (once after a change), the
    # filter's districts and target groups (one query), the count, the page's
    # ids and versions; for the missing cards their rows, the texts of events
    # and places, the services and their texts.
    with django_assert_num_queries(9):
        built = get(client, "/", params)
    with django_assert_num_queries(3):
        stored = get(client, "/", params)
    assert stored == built


@pytest.mark.parametrize("count", [10, 200])
def test_archive_queries_are_fixed_built_and_stored(
    client, django_assert_num_queries, count
):
    fill(count)
    for event in Event.objects.filter(end__lt=timezone.now())[:3]:
        review(event, photos=2)
    # Count, ids; for missing cards: rows, texts of events and places, services
    # and their texts, the published reviews, their texts, photos, photo texts.
    with django_assert_num_queries(11):
        built = get(client, "/archiv/", {"seite": "1"})
    with django_assert_num_queries(2):
        stored = get(client, "/archiv/", {"seite": "1"})
    assert stored == built
    assert built.count("event-card__review-photo") == 3


@pytest.mark.parametrize(
    "path", ["/", "/uk/", "/ar/", "/de-x-ls/", "/uk/archiv/", "/ar/?seite=2"]
)
def test_stored_cards_give_the_page_built_afresh(client, path):
    """Every language, Easy Read, fallback notices: pieces change no byte."""
    location = LocationFactory()
    for n in range(25):
        event = event_on(1 + n, location=location, title=f"Termin {n}")
        if n % 3 == 0:
            event.set_current_language("uk")
            event.title = f"Подія {n}"
            event.save()
    event_on(3, location=location, cancelled=True, title="Abgesagt")
    past = event_on(-3, location=location, title="Vorbei")
    review(past)
    built = get(client, path)
    if path.startswith(("/uk/", "/ar/")):
        assert 'class="translation-notice"' in built
    assert get(client, path) == built
    cache.clear()
    assert get(client, path) == built


def test_the_first_card_loads_its_photo_at_once_wherever_it_stands(client):
    east = DistrictFactory(slug="oststadt")
    west = LocationFactory(district=DistrictFactory(slug="weststadt"))
    event_on(1, hour=8, location=west, photo_alt="Stand")
    first = event_on(1, hour=12, location=LocationFactory(district=east))
    for n in range(21):
        event_on(2 + n, location=west, photo_alt="Stand")
    Event.objects.update(photo="events/stand.jpg", photo_width=800, photo_height=600)
    # Stored while first on the district's list...
    east_list = get(client, "/", {"bezirk": "oststadt"})
    assert f'id="event-{first.pk}"' in east_list
    assert 'loading="lazy"' not in east_list
    # ...and lazy where it is not first.
    home = get(client, "/")
    assert home.count('class="event-card__photo"') == 20
    assert home.count('loading="lazy"') == 19
    assert home.index('loading="lazy"') > home.index(f'id="event-{first.pk}"')
    page_two = get(client, "/", {"seite": "2"})
    assert page_two.count('loading="lazy"') == 2


def test_an_edited_title_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = event_on(2, title="Alter Titel")
    assert "Alter Titel" in get(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Neuer Titel"
        event.save()
    html = get(client, "/")
    assert "Neuer Titel" in html
    assert "Alter Titel" not in html


def test_a_cancelled_event_shows_its_badge_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = event_on(2)
    assert "badge-cancelled" not in get(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.CANCELLED
        event.save()
    assert "badge-cancelled" in get(client, "/")


def test_a_renamed_place_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    """The event itself is unchanged: the raised generation makes its card new."""
    location = LocationFactory(name="Altes Haus")
    event_on(2, location=location)
    assert "Altes Haus" in get(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        location.name = "Neues Haus"
        location.save()
    assert "Neues Haus" in get(client, "/")


def test_a_new_review_shows_on_the_archive_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    past = event_on(-2, title="Vorbei")
    assert "So war es" not in get(client, "/archiv/")
    with django_capture_on_commit_callbacks(execute=True):
        review(past)
    html = get(client, "/archiv/")
    assert "So war es" in html
    assert 'alt="Stand 0"' in html


def test_a_card_stored_yesterday_is_built_again_today(
    client, monkeypatch, django_assert_num_queries
):
    """The relative day ("morgen") is part of the card, so is the date."""
    event_on(1, title="Bald")
    assert "morgen" in get(client, "/")
    with django_assert_num_queries(3):
        get(client, "/")
    today = timezone.localdate()
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a: today + timedelta(days=1)
    )
    with django_assert_num_queries(7):  # as the first time (no services)
        get(client, "/")


def test_the_filter_checks_a_value_without_asking_the_database(
    django_assert_num_queries,
):
    DistrictFactory(slug="oststadt", name="Oststadt")
    with django_assert_num_queries(1):  # the choices
        form = EventFilterForm({"bezirk": "x" * 100, "zielgruppe": "oststadt"})
        assert not form.is_valid()
    assert set(form.errors) == {"bezirk", "zielgruppe"}
    form = EventFilterForm({"bezirk": "oststadt"})
    assert form.is_valid()
    assert form.filters()["district"].name == "Oststadt"


def test_the_kept_filter_section_follows_a_renamed_district(client):
    district = DistrictFactory(slug="oststadt", name="Oststadt")
    assert ">Oststadt</option>" in get(client, "/")
    District = type(district)
    District.objects.filter(pk=district.pk).update(name="Ost")  # no signal at all
    html = get(client, "/")
    assert ">Ost</option>" in html
    assert ">Oststadt</option>" not in html


def test_the_filter_section_is_the_same_kept_or_rendered(client):
    DistrictFactory(slug="oststadt", name="Oststadt")
    TargetGroupFactory(slug="familien", name="Familien")
    for params in [{}, FILTERED, {"seite": "2"}, {"bezirk": "oststadt"}]:
        first = get(client, "/", params)
        assert get(client, "/", params) == first


def test_a_long_running_event_is_listed_once_its_change_is_seen(client):
    """The list reads the start index from the longest upcoming event on."""
    fill(3)
    get(client, "/")  # the longest upcoming event is worked out and kept
    now = timezone.now()
    long_one = EventFactory(
        published=True,
        title="Ausstellung über zwei Wochen",
        start=now - timedelta(days=10),
        end=now + timedelta(days=4),
    )
    html = get(client, "/")
    assert "Ausstellung über zwei Wochen" in html
    long_one.delete()
    assert "Ausstellung über zwei Wochen" not in get(client, "/")
