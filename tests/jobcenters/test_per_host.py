"""Each host serves its own Jobcenter: pages, addresses, names and caches.

The public paths are the same on every host; what they print (calendars,
feeds, posters, the brand colour) and what the cache keeps is the
Jobcenter's of the host asked.
"""

import json
import re

import pytest
import segno
from django.contrib import admin
from django.core.cache import cache

from events import caching
from events.models import Event
from jobcenters.hosts import site_url
from jobcenters.models import Host, Jobcenter
from jobcenters.scoping import jobcenter_scope
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
B_HOST = "zwei.testserver"
B_SITE = f"https://{B_HOST}"


@pytest.fixture
def first(settings, jobcenter):
    """The first Jobcenter, now one of two: answers on "testserver"."""
    settings.SITE_URL = SITE
    Host.objects.get_or_create(name="testserver", defaults={"jobcenter": jobcenter})
    return jobcenter


@pytest.fixture
def second(first):
    jobcenter = Jobcenter.objects.create(
        name="Jobcenter Zwei", slug="zwei", brand_color="#a1005b"
    )
    Host.objects.create(jobcenter=jobcenter, name=B_HOST, is_primary=True)
    return jobcenter


@pytest.fixture
def events(first, second):
    """An event with the same slug in each Jobcenter."""
    a = EventFactory(published=True, slug="markt", title="Markt in Eins")
    with jobcenter_scope(second):
        b = EventFactory(published=True, slug="markt", title="Markt in Zwei")
    return a, b


def on_b(client, path, **kwargs):
    return client.get(path, HTTP_HOST=B_HOST, **kwargs)


def unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


def test_the_same_path_shows_each_jobcenters_event_on_its_host(client, events):
    a_page = client.get("/veranstaltungen/markt/").content.decode()
    b_page = on_b(client, "/veranstaltungen/markt/").content.decode()
    assert "Markt in Eins" in a_page and "Markt in Zwei" not in a_page
    assert "Markt in Zwei" in b_page and "Markt in Eins" not in b_page
    # The page's title and the JSON-LD name the host's Jobcenter.
    assert "· Jobcenter Zwei</title>" in b_page
    graph = json.loads(
        b_page.split('type="application/ld+json">')[1].split("</script>")[0]
    )["@graph"]
    (event,) = [item for item in graph if item["@type"] == "Event"]
    assert event["organizer"] == {
        "@type": "GovernmentOrganization",
        "name": "Jobcenter Zwei",
        "url": f"{B_SITE}/",
    }
    assert event["url"] == f"{B_SITE}/veranstaltungen/markt/"
    assert f'content="{B_SITE}/veranstaltungen/markt/"' in b_page  # og:url
    assert f'hreflang="en" href="{B_SITE}/en/veranstaltungen/markt/"' in b_page


def test_calendars_carry_their_jobcenters_host_in_addresses_and_uids(client, events):
    a, b = events
    a_calendar = unfolded(client.get("/kalender.ics"))
    b_calendar = unfolded(on_b(client, "/kalender.ics"))
    assert f"UID:event-{a.pk}@quartier.example.org" in a_calendar
    assert f"URL:{SITE}/veranstaltungen/markt/" in a_calendar
    assert f"UID:event-{b.pk}@{B_HOST}" in b_calendar
    assert f"URL:{B_SITE}/veranstaltungen/markt/" in b_calendar
    assert "quartier.example.org" not in b_calendar
    one = unfolded(on_b(client, "/veranstaltungen/markt.ics"))
    assert f"UID:event-{b.pk}@{B_HOST}" in one


def test_calendar_uid_domain_keeps_only_the_first_jobcenters_uids(
    client, events, settings
):
    settings.CALENDAR_UID_DOMAIN = "alt.example.org"
    a, b = events
    assert f"UID:event-{a.pk}@alt.example.org" in unfolded(client.get("/kalender.ics"))
    assert f"UID:event-{b.pk}@{B_HOST}" in unfolded(on_b(client, "/kalender.ics"))


def test_the_atom_feed_of_a_host_names_its_jobcenter(client, events):
    feed = on_b(client, "/feed.atom").content.decode()
    assert "<title>Jobcenter Zwei: neue Termine</title>" in feed
    assert "<author><name>Jobcenter Zwei</name></author>" in feed
    assert f"<id>tag:{B_HOST},2024:events:atom</id>" in feed
    assert f'href="{B_SITE}/veranstaltungen/markt/"' in feed
    assert "quartier.example.org" not in feed
    assert "<author><name>Jobcenter Pforzheim</name></author>" in (
        client.get("/feed.atom").content.decode()
    )


def qr_path(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True)
    return re.search(r' d="([^"]+)"', svg).group(1)


def test_the_poster_qr_code_of_a_host_encodes_its_address(client, events):
    _a, b = events
    html = on_b(client, "/veranstaltungen/markt/plakat/").content.decode()
    assert qr_path(f"{B_SITE}/veranstaltungen/markt/") in html
    assert qr_path(f"{B_SITE}/f/{b.short_code}/") in html
    assert qr_path(f"{SITE}/veranstaltungen/markt/") not in html


def test_marke_css_of_each_host_has_its_jobcenters_colour(client, second):
    assert "--q-accent: #0b5394;" in client.get("/marke.css").content.decode()
    assert "--q-accent: #a1005b;" in on_b(client, "/marke.css").content.decode()


def test_the_first_jobcenter_keeps_site_url_whatever_its_host(first, second):
    assert site_url(first) == SITE
    assert site_url(second) == B_SITE


def test_the_admin_is_titled_with_the_jobcenter_of_the_host(first, second):
    import quartier.urls  # noqa: F401  (names the admin)

    assert str(admin.site.index_title) == first.name
    with jobcenter_scope(second):
        assert str(admin.site.index_title) == "Jobcenter Zwei"


@pytest.fixture
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def rename_without_signals(event, title):
    """A change the cache is not told of: shows only once the page is rebuilt."""
    Event._parler_meta.root_model.objects.filter(master_id=event.pk).update(title=title)


def test_the_same_path_is_cached_apart_on_each_host(client, events, caching_on):
    assert "Markt in Eins" in client.get("/").content.decode()
    assert "Markt in Zwei" in on_b(client, "/").content.decode()
    # Served from the cache now: each host still gets its own page.
    assert "Markt in Eins" in client.get("/").content.decode()
    assert "Markt in Zwei" in on_b(client, "/").content.decode()


def test_a_change_in_one_jobcenter_leaves_the_others_pages_cached(
    client, events, caching_on, django_capture_on_commit_callbacks
):
    a, b = events
    client.get("/")
    on_b(client, "/")
    b_generation = caching.generation(b.jobcenter_id)
    rename_without_signals(b, "Heimlich umbenannt")

    with django_capture_on_commit_callbacks(execute=True):
        a.title = "Neu in Eins"
        a.save()

    assert "Neu in Eins" in client.get("/").content.decode()
    assert caching.generation(b.jobcenter_id) == b_generation
    b_page = on_b(client, "/").content.decode()
    assert "Markt in Zwei" in b_page  # still the cached page
    assert "Heimlich umbenannt" not in b_page


def test_a_change_in_the_other_jobcenter_refreshes_only_its_pages(
    client, events, caching_on, django_capture_on_commit_callbacks
):
    a, b = events
    client.get("/")
    on_b(client, "/")
    a_generation = caching.generation(a.jobcenter_id)
    rename_without_signals(a, "Heimlich umbenannt")

    with (
        jobcenter_scope(b.jobcenter_id),
        django_capture_on_commit_callbacks(execute=True),
    ):
        b.title = "Neu in Zwei"
        b.save()

    assert "Neu in Zwei" in on_b(client, "/").content.decode()
    assert caching.generation(a.jobcenter_id) == a_generation
    assert "Markt in Eins" in client.get("/").content.decode()


def test_a_translation_or_relation_change_refreshes_its_jobcenters_pages(
    events, caching_on, django_capture_on_commit_callbacks
):
    a, b = events
    before = {pk: caching.generation(pk) for pk in (a.jobcenter_id, b.jobcenter_id)}
    with (
        jobcenter_scope(b.jobcenter_id),
        django_capture_on_commit_callbacks(execute=True),
    ):
        translation = b.translations.get(language_code="de")
        translation.title = "Übersetzung geändert"
        translation.save()
    assert caching.generation(b.jobcenter_id) > before[b.jobcenter_id]
    assert caching.generation(a.jobcenter_id) == before[a.jobcenter_id]
