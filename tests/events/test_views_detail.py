"""The event page (/veranstaltungen/<slug>/), the legal pages and the error pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.http import http_date

from events.models import Event, Review
from events.views import last_changed
from tests.events.test_images import jpeg_with_gps
from tests.factories import (
    EventFactory,
    FeedbackFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    """Requests to /en/ leave English active in the test thread; start in German."""
    with translation.override("de"):
        yield


def past_event(days_ago: int = 3, **kwargs):
    start = timezone.now() - timedelta(days=days_ago)
    kwargs.setdefault("published", True)
    return EventFactory(start=start, end=start + timedelta(hours=4), **kwargs)


def with_photo(event: Event) -> Event:
    event.photo = SimpleUploadedFile("stand.jpg", jpeg_with_gps(), "image/jpeg")
    event.photo_alt = "Zwei Beraterinnen am Stand vor der Quartierswerkstatt"
    event.photo_credit = "Stadt Pforzheim"
    event.save()
    return event


@pytest.fixture
def event():
    location = LocationFactory(
        name="Quartierswerkstatt",
        street="Brettener Straße 12",
        postcode="75175",
        latitude="48.893100",
        longitude="8.713400",
        step_free=True,
        accessible_toilet=False,
        accessibility_notes="Rampe am Seiteneingang.",
    )
    return EventFactory(
        published=True,
        title="Wir für Sie",
        location=location,
        languages=["de", "tr", "ar"],
        services=[
            ServiceOfferingFactory(
                title="Kinderbetreuung finden",
                category="kinderbetreuung",
                description="Wir helfen bei der Suche nach einem Kita-Platz.",
            )
        ],
        target_groups=[TargetGroupFactory(name="Familien", slug="familien")],
    )


def test_detail_shows_when_where_what_and_languages(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<h1>Wir für Sie</h1>" in html
    assert " Uhr</time>" in html
    assert "Brettener Straße 12" in html
    assert "75175 Pforzheim" in html
    assert (
        'href="https://www.openstreetmap.org/?mlat=48.893100&amp;mlon=8.713400' in html
    )
    assert "Kinderbetreuung finden" in html
    assert "Wir helfen bei der Suche nach einem Kita-Platz." in html
    assert '<span lang="tr" dir="auto">Türkçe</span> (Türkisch)' in html
    assert '<span lang="de" dir="auto">Deutsch</span></li>' in html
    assert "Familien" in html


def test_detail_shows_accessibility_of_the_place(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Stufenloser Zugang." in html
    assert "Keine barrierefreie Toilette vor Ort." in html
    assert "Rampe am Seiteneingang." in html


def test_detail_links_to_calendar_and_poster(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/veranstaltungen/{event.slug}.ics"' in html
    assert f'href="/veranstaltungen/{event.slug}/plakat/"' in html


def test_feedback_link_only_while_feedback_is_open(client, event, settings):
    settings.SITE_URL = "https://quartier.example.org"
    html = client.get(event.get_absolute_url()).content.decode()
    assert "/f/" not in html
    running = past_event()
    html = client.get(running.get_absolute_url()).content.decode()
    assert f'href="/f/{running.short_code}/"' in html
    assert (
        f'<span class="short-link">quartier.example.org/f/{running.short_code}/</span>'
        in html
    )
    closed = past_event(days_ago=60)
    assert "/f/" not in client.get(closed.get_absolute_url()).content.decode()


def test_photo_has_srcset_sizes_dimensions_alt_and_credit(client, event):
    with_photo(event)
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'srcset="{event.photo_srcset}"' in html
    assert " 480w" in event.photo_srcset
    assert 'sizes="' in html
    assert 'width="1200" height="800"' in html
    assert 'alt="Zwei Beraterinnen am Stand vor der Quartierswerkstatt"' in html
    assert "Foto: Stadt Pforzheim" in html


def test_cancelled_event_is_marked_in_words(client, event):
    event.status = Event.Status.CANCELLED
    event.save()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Abgesagt:</strong> Dieser Termin findet nicht statt." in html
    assert "<title>Wir für Sie (Abgesagt)" in html


def test_drafts_are_hidden_from_the_public(client):
    draft = EventFactory(title="Geheim")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_a_banner(staff_client):
    draft = EventFactory(title="Geplant")
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vorschau: Entwurf" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html
    assert "Last-Modified" not in response


def test_public_event_has_no_preview_banner(staff_client, event):
    assert "Vorschau" not in staff_client.get(event.get_absolute_url()).content.decode()


def test_old_slug_redirects_permanently(client, event):
    old = event.get_absolute_url()
    event.slug = "neuer-name"
    event.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/veranstaltungen/neuer-name/"


def test_a_published_review_shows_on_the_past_event_only(client, event):
    past = past_event()
    for happened in (past, event):
        Review.objects.create(
            event=happened,
            headline=f"Rückblick {happened.pk}",
            lead="Viele Gespräche.",
            status=Review.Status.DRAFT,
        )
    # Both published (past the form's rules): only the past event may show its own.
    Review.objects.update(status=Review.Status.PUBLISHED, published_at=timezone.now())
    assert (
        f"Rückblick {past.pk}" in client.get(past.get_absolute_url()).content.decode()
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert f"Rückblick {event.pk}" not in html
    assert 'id="review-heading"' not in html


def test_a_page_with_live_figures_has_no_last_modified_but_an_etag(client):
    past = past_event()
    Review.objects.create(
        event=past,
        headline="Rückblick",
        lead="Gut.",
        show_figures=True,
        status=Review.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    FeedbackFactory.create_batch(5, event=past)
    response = client.get(past.get_absolute_url())
    assert "Last-Modified" not in response
    again = client.get(
        past.get_absolute_url(), headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


def test_a_review_without_figures_still_has_only_an_etag(client):
    # Its quote may vanish when the retention rule removes the comment, which
    # leaves no date of change behind: the ETag is the honest validator.
    past = past_event()
    Review.objects.create(
        event=past,
        headline="Rückblick",
        lead="Gut.",
        status=Review.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    response = client.get(past.get_absolute_url())
    assert "Last-Modified" not in response
    again = client.get(
        past.get_absolute_url(), headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


def test_last_modified_follows_the_moments_the_page_changes(settings):
    settings.FEEDBACK_OPEN_DAYS = 14
    event = past_event(days_ago=3)
    edited = event.updated_at
    start, end = event.start, event.end
    assert last_changed(event, now=start - timedelta(days=1)) == edited
    event.updated_at = start - timedelta(days=30)
    assert last_changed(event, now=start - timedelta(days=1)) == event.updated_at
    assert last_changed(event, now=start + timedelta(hours=1)) == start
    assert last_changed(event, now=end + timedelta(days=1)) == end
    closes = end + timedelta(days=14)
    assert last_changed(event, now=closes + timedelta(days=1)) == closes


def test_a_draft_review_stays_hidden(client):
    past = past_event()
    Review.objects.create(event=past, headline="Geheimer Rückblick", lead="x")
    assert (
        "Geheimer Rückblick" not in client.get(past.get_absolute_url()).content.decode()
    )


def test_english_detail(client, event):
    html = client.get("/en" + event.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert "Languages spoken at the stand" in html
    assert 'content="en_GB"' in html


def test_detail_sends_last_modified(client, event):
    response = client.get(event.get_absolute_url())
    assert response["Last-Modified"] == http_date(event.updated_at.timestamp())


@pytest.mark.parametrize("count", [1, 12])
def test_detail_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    event = EventFactory(
        published=True,
        services=[ServiceOfferingFactory() for _ in range(count)],
        target_groups=[TargetGroupFactory() for _ in range(count)],
    )
    with django_assert_max_num_queries(6):
        assert client.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_past_detail_with_review_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    event = past_event(services=[ServiceOfferingFactory() for _ in range(count)])
    review = Review.objects.create(event=event, headline="Rückblick", lead="Gut.")
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.PUBLISHED, published_at=timezone.now()
    )
    # Event, services, target groups; the review, its photos; its quote.
    with django_assert_max_num_queries(12):
        assert client.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/archiv/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"]
)
def test_public_pages_answer_if_none_match_with_304(client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304


def test_detail_answers_if_none_match_and_if_modified_since(client, event):
    first = client.get(event.get_absolute_url())
    assert (
        client.get(
            event.get_absolute_url(), headers={"if-none-match": first["ETag"]}
        ).status_code
        == 304
    )
    assert (
        client.get(
            event.get_absolute_url(),
            headers={"if-modified-since": first["Last-Modified"]},
        ).status_code
        == 304
    )


def test_public_pages_are_cached_publicly_when_caching_is_on(client, settings, event):
    settings.PUBLIC_CACHE_SECONDS = 60
    for path in ("/", "/archiv/", event.get_absolute_url(), "/impressum/"):
        assert "public" in client.get(path)["Cache-Control"]


def test_unknown_address_gets_the_friendly_404(client):
    response = client.get("/veranstaltungen/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert 'href="/"' in html


def test_english_404(client):
    html = client.get("/en/veranstaltungen/gibt-es-nicht/").content.decode()
    assert "<h1>Page not found</h1>" in html


def test_500_page_renders_without_context_or_database(django_assert_num_queries):
    from django.template.loader import get_template

    with django_assert_num_queries(0), translation.override("de"):
        html = get_template("500.html").render()
    assert "<h1>Etwas ist schiefgelaufen</h1>" in html
    assert 'href="/"' in html


def test_the_page_carries_a_qr_code_to_itself_for_print(client, event, settings):
    settings.SITE_URL = "https://quartier.example.org"
    html = client.get(event.get_absolute_url()).content.decode()
    block = html.split('<div class="print-only event-print-qr">')[1].split("</div>")[0]
    assert '<svg role="img"' in block
    assert f"quartier.example.org{event.get_absolute_url()}" in block


def test_services_carry_their_category_icon(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert "icons.svg#kinderbetreuung" in html
    assert 'aria-hidden="true"' in html
