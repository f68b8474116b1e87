"""The printable A4 poster with its two QR codes."""

import re

import pytest
import segno
from django.core.cache import cache
from django.utils import translation

from events.formatting import event_date_range
from events.poster import qr_svg
from tests.accounts import force_login_verified
from tests.factories import (
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def event():
    return EventFactory(
        published=True,
        title="Jobcenter im Quartier Oststadt",
        motto="Wir für Sie",
        languages=["de", "tr", "ar"],
        location=LocationFactory(
            name="Quartierswerkstatt", street="Kronprinzenstraße 60", postcode="75177"
        ),
        services=[
            ServiceOfferingFactory(
                title="Bewerbungsmappen-Check",
                description="Wir sehen Ihre Unterlagen durch.",
            )
        ],
        target_groups=[TargetGroupFactory(name="Familien")],
    )


def poster_url(event) -> str:
    return f"/veranstaltungen/{event.slug}/plakat/"


def qr_path(url: str) -> str:
    """The module pattern of a QR code, as segno draws it for exactly this URL."""
    svg = segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True)
    return re.search(r' d="([^"]+)"', svg).group(1)


def test_poster_shows_what_a_passer_by_needs(client, event):
    response = client.get(poster_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("de"):
        assert event_date_range(event.start, event.end) in html
    for text in [
        "Jobcenter im Quartier Oststadt",
        "Wir für Sie",
        "Quartierswerkstatt",
        "Kronprinzenstraße 60, 75177 Pforzheim",
        "Bewerbungsmappen-Check",
        "Wir sehen Ihre Unterlagen durch.",
        "Familien",
        "Türkisch",
        "Türkçe",
        "Ohne Termin",
        "kostenlos",
    ]:
        assert text in html, text
    assert html.count("<h1") == 1


def test_poster_carries_both_qr_codes_for_the_exact_addresses(client, event):
    html = client.get(poster_url(event)).content.decode()
    page_url = f"{SITE}/veranstaltungen/{event.slug}/"
    feedback_url = f"{SITE}/f/{event.short_code}/"
    assert qr_path(page_url) in html
    assert qr_path(feedback_url) in html
    assert "Alle Infos" in html
    assert "Ihre Meinung" in html
    # The short addresses are printed too, for typing.
    assert f"quartier.example.org/veranstaltungen/{event.slug}/" in html
    assert f"quartier.example.org/f/{event.short_code}/" in html


def test_qr_svg_is_an_image_with_a_text_alternative():
    svg = qr_svg("https://quartier.example.org/f/abc234/", title="Ihre Meinung")
    assert svg.startswith('<svg role="img" ')
    assert "<title>Ihre Meinung</title>" in svg
    assert qr_path("https://quartier.example.org/f/abc234/") in svg
    assert "width=" not in svg.split(">", 1)[0]  # sized by the print CSS


def test_poster_links_print_css_and_script_without_inline_code(client, event):
    html = client.get(poster_url(event)).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/poster\.css"', html)
    assert re.search(r'<script src="[^"]*js/poster\.js" defer></script>', html)
    assert "<style" not in html
    assert "style=" not in html
    assert re.search(r"<script>", html) is None


def test_print_button_is_hidden_until_the_script_shows_it(client, event):
    html = client.get(poster_url(event)).content.decode()
    assert re.search(r"<button[^>]*data-print[^>]*hidden", html)


def test_cancelled_poster_says_so_and_asks_for_no_feedback(client):
    event = EventFactory(cancelled=True)
    html = client.get(poster_url(event)).content.decode()
    assert "Abgesagt" in html
    assert "Alle Infos" in html
    assert "Ihre Meinung" not in html
    assert qr_path(f"{SITE}/f/{event.short_code}/") not in html


def test_draft_poster_is_404_for_visitors_and_a_preview_for_staff(client, coordinator):
    draft = EventFactory()
    assert client.get(poster_url(draft)).status_code == 404
    force_login_verified(client, coordinator)
    assert client.get(poster_url(draft)).status_code == 200


def test_draft_without_a_date_has_no_poster(coordinator_client):
    draft = EventFactory(start=None, end=None, location=None)
    assert coordinator_client.get(poster_url(draft)).status_code == 404


def test_unknown_poster_is_404(client):
    assert client.get("/veranstaltungen/gibt-es-nicht/plakat/").status_code == 404


def test_old_slug_redirects_to_the_new_poster(client, event):
    old = event.slug
    event.slug = "umbenannt"
    event.save()
    response = client.get(f"/veranstaltungen/{old}/plakat/")
    assert response.status_code == 301
    assert response["Location"] == "/veranstaltungen/umbenannt/plakat/"


def test_english_poster_links_the_english_pages(client, event):
    html = client.get(f"/en{poster_url(event)}").content.decode()
    assert '<html lang="en">' in html
    assert "All details" in html
    assert qr_path(f"{SITE}/en/veranstaltungen/{event.slug}/") in html


@pytest.mark.parametrize("count", [1, 20])
def test_poster_queries_do_not_grow(client, django_assert_max_num_queries, count):
    event = EventFactory(
        published=True,
        services=ServiceOfferingFactory.create_batch(count),
        target_groups=TargetGroupFactory.create_batch(count),
    )
    with django_assert_max_num_queries(6):
        response = client.get(poster_url(event))
    assert response.status_code == 200


def test_poster_comes_from_the_public_cache(
    client, event, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    client.get(poster_url(event))
    with django_assert_num_queries(0):
        response = client.get(poster_url(event))
    assert "public" in response["Cache-Control"]
    cache.clear()


def test_post_is_not_allowed(client, event):
    assert client.post(poster_url(event)).status_code == 405


def test_a_second_language_prints_beside_the_german(client, event):
    event.set_current_language("uk")
    event.title = "День кварталу"
    event.save()
    html = client.get(f"{poster_url(event)}?zweite=uk").content.decode()
    assert '<div class="poster-language" lang="de" dir="ltr">' in html
    assert '<div class="poster-language" lang="uk" dir="ltr">' in html
    assert "День кварталу" in html
    assert "poster-languages.css" in html


def test_arabic_or_persian_column_runs_right_to_left(client, event):
    for code in ("ar", "fa"):
        html = client.get(f"{poster_url(event)}?zweite={code}").content.decode()
        assert f'<div class="poster-language" lang="{code}" dir="rtl">' in html


@pytest.mark.parametrize("value", ["xx", "de", "<b>", "uk,ar"])
def test_an_unknown_second_language_is_a_400(client, event, value):
    response = client.get(poster_url(event), {"zweite": value})
    assert response.status_code == 400


def test_the_poster_follows_the_page_language(client, event):
    html = client.get(f"/ar{poster_url(event)}").content.decode()
    assert '<main class="poster-sheet" dir="rtl">' in html


@pytest.mark.parametrize("count", [1, 20])
def test_a_two_language_poster_queries_do_not_grow(
    client, django_assert_max_num_queries, count
):
    event = EventFactory(
        published=True, services=ServiceOfferingFactory.create_batch(count)
    )
    with django_assert_max_num_queries(6):
        response = client.get(f"{poster_url(event)}?zweite=uk")
    assert response.status_code == 200


def test_arabic_is_named_as_in_the_language_menu_everywhere(client, event):
    """One spelling of العربية (no shadda) in the menu, the poster's choice and the stand list."""
    event.languages = ["de", "ar"]
    event.save()
    html = client.get(f"/veranstaltungen/{event.slug}/plakat/").content.decode()
    assert '<option value="ar" lang="ar">العربية</option>' in html
    assert "العربيّة" not in html
    detail = client.get(f"/veranstaltungen/{event.slug}/").content.decode()
    assert "العربيّة" not in detail and "العربية" in detail
