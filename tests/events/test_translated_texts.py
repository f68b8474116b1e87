"""What visitors see when a text is not (yet) in their language."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.translation import shown
from tests.factories import EventFactory, LocationFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
OTHER_LANGUAGES = ["en", "tr", "ar", "ru", "fa"]


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def page(event) -> str:
    """The event's German address (the test client leaves a language active)."""
    return f"/veranstaltungen/{event.slug}/"


def translate(obj, code, *, machine=False, **fields):
    obj.set_current_language(code)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.machine_translated = machine
    obj.save()
    obj.set_current_language("de")
    return obj


def test_shown_falls_back_to_german_and_says_so():
    event = EventFactory(title="Quartierstag", motto="Wir für Sie")
    translate(event, "uk", title="День кварталу")
    with translation.override("uk"):
        title, motto = shown(event, "title"), shown(event, "motto")
    assert (title.text, title.language, title.fallback) == (
        "День кварталу",
        "uk",
        False,
    )
    assert (motto.text, motto.language, motto.fallback) == ("Wir für Sie", "de", True)


def test_an_empty_translation_shows_the_german_text_never_nothing():
    event = EventFactory(title="Quartierstag", description="Beratung vor Ort")
    translate(event, "uk", title="День кварталу", description="")
    text = shown(event, "description", "uk")
    assert (text.text, text.language, text.fallback) == ("Beratung vor Ort", "de", True)


def test_shown_reads_prefetched_rows_without_a_query(django_assert_num_queries):
    EventFactory(title="Quartierstag")
    from events.models import Event

    event = Event.objects.with_texts().get()
    with django_assert_num_queries(0):
        assert shown(event, "title", "uk").fallback


def test_a_missing_ukrainian_title_shows_german_marked_with_a_notice(client):
    event = EventFactory(published=True, title="Quartierstag")
    html = client.get(f"/uk{page(event)}").content.decode()
    assert '<h1><span lang="de" dir="ltr">Quartierstag</span></h1>' in html
    assert html.count('class="translation-notice"') == 1


def test_a_translated_title_needs_no_notice(client):
    event = EventFactory(published=True, title="Quartierstag", motto="", description="")
    translate(event, "uk", title="День кварталу")
    location = event.location
    translate(location, "uk", name="Майстерня")
    html = client.get(f"/uk{page(event)}").content.decode()
    assert "<h1>День кварталу</h1>" in html
    assert "translation-notice" not in html


def test_german_pages_never_carry_a_notice(client):
    event = EventFactory(published=True, title="Quartierstag")
    html = client.get(page(event)).content.decode()
    assert "translation-notice" not in html
    assert 'lang="de" dir="ltr"' not in html


def test_a_machine_drafted_translation_is_noted(client):
    event = EventFactory(published=True, title="Quartierstag")
    translate(event, "uk", title="День кварталу", machine=True)
    html = client.get(f"/uk{page(event)}").content.decode()
    assert re.search(
        r'День кварталу <span class="translation-mark">\(.+\)</span>', html
    )


def test_german_inside_an_arabic_page_runs_left_to_right(client):
    event = EventFactory(published=True, title="Quartierstag")
    html = client.get(f"/ar{page(event)}").content.decode()
    assert '<span lang="de" dir="ltr">Quartierstag</span>' in html


def test_the_list_marks_fallbacks_once_for_all_cards(client):
    for n in range(3):
        EventFactory(published=True, title=f"Termin {n}")
    html = client.get("/uk/").content.decode()
    assert html.count('<span lang="de" dir="ltr">Termin') == 3
    assert html.count('class="translation-notice"') == 1


def test_feedback_form_shows_the_event_title_marked(client):
    from tests.factories import open_for_feedback

    event = open_for_feedback(title="Quartierstag")
    html = client.get(f"/uk/f/{event.short_code}/").content.decode()
    assert '<span lang="de" dir="ltr">Quartierstag</span>' in html


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def with_languages(event, codes):
    for code in codes:
        translate(event, code, title=f"Titel {code}")
        translate(event.location, code, name=f"Ort {code}")
        for service in event.services.all():
            translate(service, code, title=f"Angebot {service.pk} {code}")


@pytest.mark.parametrize("path", ["/uk/", "/uk/archiv/", "detail"])
def test_queries_stay_the_same_with_one_or_five_languages(client, path):
    def make(codes):
        start = timezone.now() + timedelta(days=3)
        if "archiv" in path:
            start = timezone.now() - timedelta(days=3)
        event = EventFactory(
            published=True,
            start=start,
            end=start + timedelta(hours=2),
            location=LocationFactory(),
            services=[ServiceOfferingFactory(), ServiceOfferingFactory()],
        )
        with_languages(event, codes)
        return event

    first = make(["uk"])
    url = f"/uk{page(first)}" if path == "detail" else path
    one = count_queries(client, url)
    second = make(["uk", *OTHER_LANGUAGES[:4]])
    url = f"/uk{page(second)}" if path == "detail" else path
    assert count_queries(client, url) == one


def json_ld(html):
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return json.loads(block)


def test_json_ld_and_open_graph_follow_the_page_language(client):
    event = EventFactory(published=True, title="Quartierstag", motto="Wir für Sie")
    translate(event, "uk", title="День кварталу", motto="Ми для вас")
    html = client.get(f"/uk{page(event)}").content.decode()
    data = json_ld(html)["@graph"][0]
    assert data["name"] == "День кварталу"
    assert data["description"] == "Ми для вас"
    assert data["url"] == f"{SITE}/uk{page(event)}"
    assert '<meta property="og:locale" content="uk_UA">' in html
    assert '<meta property="og:title" content="День кварталу">' in html


def test_atom_feed_speaks_the_prefix_language(client):
    event = EventFactory(published=True, title="Quartierstag")
    translate(event, "uk", title="День кварталу")
    body = client.get("/uk/feed.atom").content.decode()
    assert 'xml:lang="uk"' in body
    assert "<title>День кварталу</title>" in body
    assert f"{SITE}/uk/veranstaltungen/{event.slug}/" in body


def test_calendar_says_which_language_each_text_is_in(client):
    translated = EventFactory(published=True, title="Quartierstag")
    translate(translated, "uk", title="День кварталу")
    EventFactory(published=True, title="Nur Deutsch")
    body = client.get("/uk/kalender.ics").content.decode().replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=uk:День кварталу" in body
    assert "SUMMARY;LANGUAGE=de:Nur Deutsch" in body
    assert "DESCRIPTION;LANGUAGE=uk:" in body
    assert f"URL:{SITE}/uk/veranstaltungen/{translated.slug}/" in body


def test_the_list_shows_the_calendar_address_of_its_language(client):
    html = client.get("/uk/").content.decode()
    assert (
        f'<code class="calendar-address" dir="ltr">{SITE}/uk/kalender.ics</code>'
        in html
    )


def test_leichte_sprache_has_its_own_start_and_event_pages(client):
    event = EventFactory(published=True, title="Quartierstag")
    home = client.get("/de-x-ls/").content.decode()
    assert "Das Jobcenter kommt zu Ihnen" in home
    assert "keinen Termin" in home
    assert 'class="pictogram"' in home
    assert "Quartierstag" in home
    html = client.get(f"/de-x-ls{page(event)}").content.decode()
    assert "Was macht das Jobcenter am Stand?" in html
    assert "Es kostet nichts." in html
    # German text on a Leichte Sprache page is marked as (plain) German.
    assert '<span lang="de" dir="ltr">Quartierstag</span>' in html


def test_leichte_sprache_pages_keep_their_query_counts(client):
    EventFactory(published=True)
    # The same list, without the filter form (two queries fewer). The first
    # request works out the longest upcoming event (selectors), so both are
    # asked once before.
    client.get("/uk/")
    client.get("/de-x-ls/")
    assert count_queries(client, "/de-x-ls/") <= count_queries(client, "/uk/")


def test_an_empty_translated_motto_shows_the_german_one_everywhere(client):
    event = EventFactory(published=True, title="Quartierstag", motto="Wir für Sie")
    translate(event, "uk", title="День кварталу", motto="")
    html = client.get(f"/uk{page(event)}").content.decode()
    assert '<q><span lang="de" dir="ltr">Wir für Sie</span></q>' in html
    assert "Wir für Sie" in client.get("/uk/kalender.ics").content.decode()
    assert "Wir für Sie" in client.get("/uk/feed.atom").content.decode()


def test_formatted_texts_are_escaped_once(client):
    event = EventFactory(
        published=True,
        title="A <b>&</b> B",
        description="Erster Absatz <i>\n\nZweiter Absatz",
    )
    translate(event, "uk", title="Т <b>")
    html = client.get(f"/uk{page(event)}").content.decode()
    assert "<h1>Т &lt;b&gt;" in html
    assert '<div lang="de" dir="ltr"><p>Erster Absatz &lt;i&gt;</p>' in html
    assert "<p>Zweiter Absatz</p></div>" in html
    german = client.get(page(event)).content.decode()
    assert "<h1>A &lt;b&gt;&amp;&lt;/b&gt; B</h1>" in german


def test_feedback_form_marks_service_titles_still_in_german(client):
    from tests.factories import open_for_feedback

    translated = ServiceOfferingFactory(title="Kinderbetreuung")
    translate(translated, "uk", title="Догляд за дітьми")
    german = ServiceOfferingFactory(title="Bewerbungsmappen-Check")
    event = open_for_feedback(services=[translated, german])
    html = client.get(f"/uk/f/{event.short_code}/").content.decode()
    assert "Догляд за дітьми" in html
    assert '<span lang="de" dir="ltr">Bewerbungsmappen-Check</span>' in html
