"""Choosing a language: the menu, the first visit, the kept choice, hreflang."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import EventFactory, open_for_feedback

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def menu(html: str) -> list[tuple[str, str, str]]:
    """The language menu's links: (address, hreflang, name)."""
    items = html.split('<ul class="language-menu__list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"[^>]*>([^<]+)</a>', items)


def test_the_menu_names_every_language_in_itself(client):
    names = [name for _url, _code, name in menu(client.get("/").content.decode())]
    assert names == [
        "Deutsch",
        "Leichte Sprache",
        "English",
        "Türkçe",
        "العربية",
        "Українська",
        "Русский",
        "فارسی",
    ]


def test_the_menu_links_keep_the_choice_for_the_same_page(client):
    links = menu(client.get("/archiv/?seite=2").content.decode())
    assert ("/sprache/ar/?next=%2Farchiv%2F%3Fseite%3D2", "ar") in [
        (url.replace("&amp;", "&"), code) for url, code, _name in links
    ]


def test_choosing_a_language_keeps_it_and_shows_the_page_in_it(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/sprache/ar/", {"next": "/archiv/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/archiv/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "ar"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert cookie["samesite"] == "Lax"
    assert "no-store" in response["Cache-Control"]


def test_choosing_german_leads_back_to_the_address_without_prefix(
    client, django_assert_num_queries
):
    event = EventFactory(published=True)
    address = event.get_absolute_url()
    with django_assert_num_queries(0):
        response = client.get("/sprache/de/", {"next": f"/ar{address}"})
    assert response["Location"] == address
    assert response.cookies[COOKIE].value == "de"


def test_leichte_sprache_is_chosen_by_its_code(client):
    response = client.get("/sprache/de-x-ls/", {"next": "/en/?bezirk=oststadt"})
    assert response["Location"] == "/de-x-ls/?bezirk=oststadt"
    assert response.cookies[COOKIE].value == "de-x-ls"


def test_without_next_the_choice_leads_to_the_start_page(client):
    assert client.get("/sprache/tr/")["Location"] == "/tr/"


@pytest.mark.parametrize("code", ["xx", "de-x-foo", "DE", "ar%00"])
def test_an_unknown_language_is_not_found(client, code):
    response = client.get(f"/sprache/{code}/", {"next": "/"})
    assert response.status_code == 404
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "/\\evil.example",
        "http://testserver.evil.example/",
    ],
)
def test_next_must_stay_on_this_site(client, next_url):
    response = client.get("/sprache/ar/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.parametrize("next_url", ["/gibt-es-nicht/", "/\x00/", "/%ff/", "/" * 3000])
def test_odd_next_addresses_never_break(client, next_url):
    response = client.get("/sprache/ar/", {"next": next_url})
    assert response.status_code == 302


def test_the_choice_is_only_made_with_a_link(client):
    assert client.post("/sprache/ar/", {"next": "/"}).status_code == 405


def test_a_first_visit_follows_the_browsers_language(client):
    response = client.get("/archiv/?seite=2", HTTP_ACCEPT_LANGUAGE="ar,de;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ar/archiv/?seite=2"
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("en-US,en;q=0.9", "/en/"),
        ("fr-FR, fa;q=0.8, de;q=0.5", "/fa/"),
        ("uk", "/uk/"),
        ("tr-TR", "/tr/"),
    ],
)
def test_the_best_site_language_in_the_browser_list_wins(client, accept, target):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=accept)["Location"] == target


@pytest.mark.parametrize(
    "accept", ["", "de-DE,de;q=0.9,en;q=0.8", "de-AT", "fr, it", "*", "x" * 500]
)
def test_a_german_or_unknown_preference_stays_on_german(client, accept):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()


def test_an_event_and_its_feedback_form_follow_the_browser(client):
    event = open_for_feedback()
    address = event.get_absolute_url()
    detail = client.get(address, HTTP_ACCEPT_LANGUAGE="ar")
    form = client.get(f"/f/{event.short_code}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert detail["Location"] == f"/ar{address}"
    assert form["Location"] == f"/ru/f/{event.short_code}/"


def test_whoever_chose_german_is_never_sent_away_again(client):
    client.get("/sprache/de/", {"next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()


def test_any_kept_choice_stops_the_redirect(client):
    client.cookies[COOKIE] = "ar"
    assert client.get("/archiv/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_an_address_with_a_language_is_never_redirected(client):
    response = client.get("/en/archiv/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


def test_feeds_posters_and_staff_pages_keep_their_address(client):
    event = open_for_feedback()
    addresses = [
        "/kalender.ics",
        "/feed.atom",
        f"{event.get_absolute_url()}plakat/",
        event.get_absolute_url().rstrip("/") + ".ics",
        f"/f/{event.short_code}/fragebogen/",
        "/impressum/",
        "/healthz",
        "/admin/login/",
        "/team/",
        "/auswertung/",
        "/gibt-es-nicht/",
    ]
    for address in addresses:
        response = client.get(address, HTTP_ACCEPT_LANGUAGE="ar")
        assert not response.get("Location", "").startswith("/ar/"), address


def test_a_sent_feedback_form_is_not_redirected(client):
    event = open_for_feedback()
    response = client.post(f"/f/{event.short_code}/", {}, HTTP_ACCEPT_LANGUAGE="ar")
    assert not response.get("Location", "").startswith("/ar/")


def test_the_german_page_says_what_it_depends_on(client):
    response = client.get("/")
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_a_cached_german_page_is_not_given_to_an_arabic_first_visit(
    client, page_cache, django_assert_num_queries
):
    EventFactory(published=True)
    german = client.get("/")
    assert german.status_code == 200
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.status_code == 302
    assert arabic["Location"] == "/ar/"
    # Everyone else still gets the German page from the cache: no query.
    with django_assert_num_queries(0):
        again = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE")
    assert again.status_code == 200
    assert again.content == german.content
    assert again["ETag"] == german["ETag"]


def test_a_cached_page_never_holds_a_redirect(client, page_cache):
    EventFactory(published=True)
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar").status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()


def test_every_page_names_german_as_the_default_alternate(client, settings):
    settings.SITE_URL = "https://quartier.example.org"
    html = client.get("/ar/archiv/").content.decode()
    assert (
        '<link rel="alternate" hreflang="x-default" '
        'href="https://quartier.example.org/archiv/">' in html
    )
    assert html.count('hreflang="x-default"') == 1
