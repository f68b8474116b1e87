"""Share links, the route and an event's calendars: plain addresses only."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from events.sharing import calendar_links, share_links, sharing
from tests.factories import EventFactory, LocationFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def test_share_links_carry_the_pages_address_and_title():
    event = EventFactory(published=True, slug="fest", title="Sommerfest & Beratung")
    mail_link, whatsapp_link, telegram_link = share_links(event)
    links = {"mail": mail_link.url, "WhatsApp": whatsapp_link.url}
    links["Telegram"] = telegram_link.url
    address = f"{SITE}/veranstaltungen/fest/"
    mail = parse_qs(urlsplit(links["mail"]).query)
    assert links["mail"].startswith("mailto:?")
    assert mail == {
        "subject": ["Sommerfest & Beratung"],
        "body": [f"Sommerfest & Beratung\n{address}"],
    }
    whatsapp = urlsplit(links["WhatsApp"])
    assert (whatsapp.scheme, whatsapp.netloc) == ("https", "wa.me")
    assert parse_qs(whatsapp.query)["text"] == [f"Sommerfest & Beratung\n{address}"]
    telegram = urlsplit(links["Telegram"])
    assert telegram.netloc == "t.me"
    assert parse_qs(telegram.query) == {
        "url": [address],
        "text": ["Sommerfest & Beratung"],
    }


def test_share_links_follow_the_language():
    event = EventFactory(published=True, slug="fest")
    with translation.override("en"):
        links = share_links(event)
        assert sharing(event).url == f"{SITE}/en/veranstaltungen/fest/"
    assert links[0].label == "E-mail"
    assert (
        f"{SITE}/en/veranstaltungen/fest/"
        in parse_qs(urlsplit(links[1].url).query)["text"][0]
    )


def test_calendars_are_the_district_and_each_offer_once():
    event = EventFactory(published=True)
    first = ServiceOfferingFactory(category="kinderbetreuung")
    second = ServiceOfferingFactory(category="kinderbetreuung")
    third = ServiceOfferingFactory(category="integration")
    event.services.set([first, second, third])
    urls = [link.url for link in calendar_links(event)]
    district = event.location.district.slug
    # The services' order: by category.
    assert urls == [
        f"/kalender/bezirk/{district}.ics",
        "/kalender/angebot/integration.ics",
        "/kalender/angebot/kinderbetreuung.ics",
    ]


def test_route_leads_to_the_place_on_openstreetmap():
    place = LocationFactory(latitude="48.8917", longitude="8.7001")
    place.refresh_from_db()
    route = urlsplit(place.route_url)
    assert (route.scheme, route.netloc, route.path) == (
        "https",
        "www.openstreetmap.org",
        "/directions",
    )
    assert parse_qs(route.query) == {"route": [";48.891700,8.700100"]}
    unplaced = LocationFactory(latitude=None, longitude=None)
    assert parse_qs(urlsplit(unplaced.route_url).query) == {
        "to": [unplaced.address_line]
    }


def test_event_page_offers_sharing_the_route_and_its_calendars(client):
    place = LocationFactory(
        stop="Leopoldplatz (Bus 1, 2)", latitude="48.9", longitude="8.7"
    )
    event = EventFactory(published=True, slug="fest", location=place)
    html = client.get("/veranstaltungen/fest/").content.decode()
    assert 'id="share-address"' in html
    assert f'value="{SITE}/veranstaltungen/fest/"' in html
    assert "https://wa.me/?text=" in html and "https://t.me/share/url?" in html
    assert "Leopoldplatz (Bus 1, 2)" in html
    assert "https://www.openstreetmap.org/directions?route=" in html
    district = event.location.district.slug
    assert f'href="/kalender/bezirk/{district}.ics"' in html


def test_an_event_without_photo_previews_its_share_card(client):
    EventFactory(published=True, slug="fest", title="Sommerfest")
    html = client.get("/en/veranstaltungen/fest/").content.decode()
    card = f"{SITE}/en/veranstaltungen/fest/vorschau.png"
    assert f'<meta property="og:image" content="{card}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:alt" content="Sommerfest, ' in html


def test_the_list_offers_partners_the_embed_code(client):
    html = client.get("/?angebot=kinderbetreuung").content.decode()
    assert 'id="embed-code"' in html
    assert "einbetten/?angebot=kinderbetreuung&amp;amp;anzahl=5" in html
