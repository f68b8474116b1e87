"""schema.org JSON-LD and Open Graph on the event pages."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from events import structured_data
from events.models import Event
from tests.events.test_views_detail import with_photo
from tests.factories import EventFactory, LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    """Requests to /en/ leave English active in the test thread; start in German."""
    with translation.override("de"):
        yield


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def event(settings):
    settings.SITE_URL = "https://quartier.example.org"
    settings.ORGANISATION_NAME = "Jobcenter Pforzheim"
    start = datetime(2030, 7, 23, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    return EventFactory(
        published=True,
        title="Wir für Sie",
        slug="wir-fuer-sie-2030-07-23",
        motto="Persönlich beraten",
        start=start,
        end=start.replace(hour=14),
        languages=["de", "tr"],
        location=LocationFactory(
            name="Quartierswerkstatt", street="Brettener Straße 12", postcode="75175"
        ),
    )


def graph_of(html: str) -> list[dict]:
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    document = json.loads(blocks[0])
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


def test_event_data_has_dates_with_offset_place_and_organizer(event):
    with translation.override("de"):
        data = structured_data.event_data(event)
    assert data["@type"] == "Event"
    assert data["name"] == "Wir für Sie"
    assert data["startDate"] == "2030-07-23T10:00:00+02:00"
    assert data["endDate"] == "2030-07-23T14:00:00+02:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert (
        data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    )
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Brettener Straße 12",
        "postalCode": "75175",
        "addressLocality": "Pforzheim",
        "addressRegion": event.location.district.name,
        "addressCountry": "DE",
    }
    assert data["organizer"]["name"] == "Jobcenter Pforzheim"
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == ["de", "tr"]
    assert data["description"] == "Persönlich beraten"
    assert data["url"] == (
        "https://quartier.example.org/veranstaltungen/wir-fuer-sie-2030-07-23/"
    )
    assert "image" not in data


def test_cancelled_event_is_event_cancelled(event):
    event.status = Event.Status.CANCELLED
    assert (
        structured_data.event_data(event)["eventStatus"]
        == "https://schema.org/EventCancelled"
    )


def test_photo_becomes_an_absolute_image(event):
    with_photo(event)
    image = structured_data.event_data(event)["image"][0]
    assert image.startswith("https://quartier.example.org/media/events/")


def test_page_graph_holds_several_items_for_a_later_article(event):
    article = {"@type": "Article", "headline": "Rückblick"}
    document = structured_data.page_graph(structured_data.event_data(event), article)
    assert [item["@type"] for item in document["@graph"]] == ["Event", "Article"]


@pytest.mark.parametrize(
    "title", ["</script><script>alert(1)</script>", "<!-- <script>", "a & b > c"]
)
def test_json_ld_cannot_break_out_of_its_script_element(title):
    html = structured_data.json_ld_script({"name": title})
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix(
        "</script>"
    )
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": title}


def test_detail_page_embeds_one_escaped_json_ld_block(client, event):
    event.title = "</script><!-- Beratung"
    event.save()
    html = client.get(event.get_absolute_url()).content.decode()
    (item,) = graph_of(html)
    assert item["name"] == "</script><!-- Beratung"
    # Every </script> closes a real script element: the title broke none open.
    assert html.count("</script>") == html.count("<script")
    assert html.count('<script type="application/ld+json">') == 1


def test_detail_page_has_open_graph_tags(client, event):
    with_photo(event)
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Wir für Sie">' in html
    assert '<meta property="og:description" content="Persönlich beraten">' in html
    assert (
        '<meta property="og:url" content="https://quartier.example.org'
        '/veranstaltungen/wir-fuer-sie-2030-07-23/">' in html
    )
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:locale" content="de_DE">' in html
    assert re.search(
        r'<meta property="og:image" content="https://quartier\.example\.org/media/',
        html,
    )
    assert "twitter:" not in html


def test_cancelled_event_page_says_event_cancelled(client, event):
    event.status = Event.Status.CANCELLED
    event.save()
    (item,) = graph_of(client.get(event.get_absolute_url()).content.decode())
    assert item["eventStatus"] == "https://schema.org/EventCancelled"


def test_description_falls_back_to_the_text_without_tags(event):
    event.motto = ""
    event.description = "<b>Beratung</b>   ohne\nTermin. " * 40
    text = structured_data.summary(event, length=60)
    assert "<" not in text and "\n" not in text
    assert len(text) <= 60


@pytest.mark.parametrize(
    ("path", "title", "locale"),
    [
        ("/", "Nächste Termine", "de_DE"),
        ("/archiv/", "Vergangene Termine", "de_DE"),
        ("/en/", "Upcoming dates", "en_GB"),
    ],
)
def test_list_pages_have_open_graph_tags(client, settings, path, title, locale):
    settings.SITE_URL = "https://quartier.example.org"
    html = client.get(path).content.decode()
    assert f'<meta property="og:title" content="{title}">' in html
    assert (
        f'<meta property="og:url" content="https://quartier.example.org{path}">' in html
    )
    assert f'<meta property="og:locale" content="{locale}">' in html
    assert '<meta property="og:description" content="' in html
    assert "application/ld+json" not in html
