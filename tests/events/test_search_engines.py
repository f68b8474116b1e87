"""``/sitemap.xml`` and ``/robots.txt``: every public page, each host its own."""

from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from events import sitemaps
from events.models import Event
from jobcenters.scoping import jobcenter_scope
from tests.factories import EventFactory
from tests.multi import SECOND_HOST, second_jobcenter

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
MAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def parse(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def locations(urlset) -> list[str]:
    return [url.findtext(f"{MAP}loc") for url in urlset.findall(f"{MAP}url")]


def test_index_names_the_files_on_the_jobcenters_address(client):
    index = parse(client.get("/sitemap.xml"))
    assert [s.findtext(f"{MAP}loc") for s in index.findall(f"{MAP}sitemap")] == [
        f"{SITE}/sitemap-seiten.xml",
        f"{SITE}/sitemap-termine.xml",
    ]


def test_pages_are_listed_in_every_language_with_alternates(client):
    urlset = parse(client.get("/sitemap-seiten.xml"))
    codes = [code for code, _name in settings.LANGUAGES]
    assert f"{SITE}/" in locations(urlset)
    assert f"{SITE}/en/archiv/" in locations(urlset)
    assert f"{SITE}/ar/impressum/" in locations(urlset)
    assert len(locations(urlset)) == len(sitemaps.PAGE_NAMES) * len(codes)
    first = urlset.find(f"{MAP}url")
    links = {
        link.get("hreflang"): link.get("href") for link in first.iter(f"{XHTML}link")
    }
    assert set(links) == {*codes, "x-default"}
    assert links["x-default"] == links["de"] == f"{SITE}/"
    assert links["de-x-ls"] == f"{SITE}/de-x-ls/"


def test_events_are_the_public_ones_at_their_real_addresses(client):
    shown = EventFactory(published=True, slug="stadtteilfest")
    cancelled = EventFactory(published=True, slug="abgesagt")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    EventFactory(slug="entwurf")  # a draft
    found = locations(parse(client.get("/sitemap-termine.xml")))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert SITE + shown.get_absolute_url() in found
            assert SITE + reverse("events:detail", args=["abgesagt"]) in found
    assert not any("entwurf" in address for address in found)
    assert len(found) == 2 * len(settings.LANGUAGES)


def test_events_fill_numbered_files(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "EVENTS_PER_FILE", 2)
    for number in range(5):
        EventFactory(published=True, slug=f"termin-{number}")
    index = parse(client.get("/sitemap.xml"))
    files = [s.findtext(f"{MAP}loc") for s in index.findall(f"{MAP}sitemap")]
    assert files[1:] == [
        f"{SITE}/sitemap-termine.xml",
        f"{SITE}/sitemap-termine.xml?p=2",
        f"{SITE}/sitemap-termine.xml?p=3",
    ]
    per_file = [
        len(locations(parse(client.get(f"/sitemap-termine.xml?p={page}"))))
        for page in (1, 2, 3)
    ]
    assert per_file == [n * len(settings.LANGUAGES) for n in (2, 2, 1)]


@pytest.mark.parametrize(
    "address",
    [
        "/sitemap-termine.xml?p=2",
        "/sitemap-termine.xml?p=0",
        "/sitemap-termine.xml?p=-1",
        "/sitemap-termine.xml?p=abc",
        "/sitemap-termine.xml?p=%3Cscript%3E",
        "/sitemap-termine.xml?p=" + "9" * 500,
        "/sitemap-unbekannt.xml",
        "/sitemap-x'%20OR%201=1.xml",
    ],
)
def test_wrong_files_and_pages_are_404(client, address):
    EventFactory(published=True)
    assert client.get(address).status_code == 404


def test_each_host_lists_only_its_own_events(client):
    EventFactory(published=True, slug="erste-stadt")
    second = second_jobcenter()
    with jobcenter_scope(second):
        EventFactory(published=True, slug="zweite-stadt")
    first_map = client.get("/sitemap-termine.xml").content.decode()
    second_map = client.get("/sitemap-termine.xml", HTTP_HOST=SECOND_HOST)
    assert "erste-stadt" in first_map and "zweite-stadt" not in first_map
    second_text = second_map.content.decode()
    assert "zweite-stadt" in second_text and "erste-stadt" not in second_text
    assert f"https://{SECOND_HOST}/veranstaltungen/zweite-stadt/" in second_text
    robots = client.get("/robots.txt", HTTP_HOST=SECOND_HOST).content.decode()
    assert f"Sitemap: https://{SECOND_HOST}/sitemap.xml" in robots


@pytest.mark.parametrize("count", [3, 30])
def test_query_counts_do_not_grow(client, count, django_assert_num_queries, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    EventFactory.create_batch(count, published=True)
    client.get("/sitemap.xml")  # the host lookup, once
    with django_assert_num_queries(2):  # the latest change and the count
        client.get("/sitemap.xml")
    with django_assert_num_queries(2):  # the count and one page of rows
        client.get("/sitemap-termine.xml")
    with django_assert_num_queries(0):
        client.get("/sitemap-seiten.xml")


def test_robots_keeps_crawlers_out_of_staff_areas_and_filter_combinations(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/team/", "/auswertung/", "/f/", "/*?"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /sitemap-" in lines  # its numbered files have a query
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the public pages stay open


def test_sitemap_and_robots_are_the_same_in_every_language(client):
    german = client.get("/sitemap-seiten.xml").content
    assert client.get("/sitemap-seiten.xml", HTTP_ACCEPT_LANGUAGE="ar").content == (
        german
    )
    assert client.get("/en/sitemap.xml").status_code == 404
