"""Every public page answers in every configured language, in that language."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from events.models import Review
from tests.factories import EventFactory, open_for_feedback

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def prefixed(code: str, path: str) -> str:
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


@pytest.fixture
def pages():
    event = open_for_feedback(title="Quartierstag")
    start = timezone.now() - timedelta(days=10)
    past = EventFactory(
        published=True,
        title="Rückblick-Tag",
        start=start,
        end=start + timedelta(hours=3),
    )
    Review.objects.create(
        event=past,
        headline="Ein guter Tag",
        lead="Viele Gespräche.",
        status=Review.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    district = event.location.district.slug
    html = [
        "/",
        f"/?bezirk={district}",
        "/archiv/",
        event.get_absolute_url(),
        past.get_absolute_url(),
        f"/veranstaltungen/{event.slug}/plakat/",
        f"/f/{event.short_code}/",
        f"/f/{event.short_code}/danke/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
    ]
    machine = [
        f"/veranstaltungen/{event.slug}.ics",
        "/kalender.ics",
        f"/kalender/bezirk/{district}.ics",
        "/feed.atom",
        "/rueckblicke.atom",
    ]
    return {"html": html, "machine": machine}


def test_the_pages_exist(client, pages):
    # The addresses in the fixture are the real ones (German, no prefix).
    for path in pages["html"] + pages["machine"]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_page_answers_in_every_language(client, pages, code):
    with translation.override(code):
        bidi = translation.get_language_bidi()
    for path in pages["html"]:
        response = client.get(prefixed(code, path))
        assert response.status_code == 200, path
        html = response.content.decode()
        tag = re.search(r"<html[^>]*>", html).group(0)
        assert f'lang="{code}"' in tag, path
        if "dir=" in tag:  # once the layout carries the direction
            assert ('dir="rtl"' in tag) == bidi, path


@pytest.mark.parametrize("code", LANGUAGES)
def test_feeds_and_calendars_answer_in_every_language(client, pages, code):
    for path in pages["machine"]:
        response = client.get(prefixed(code, path))
        assert response.status_code == 200, path
        body = response.content.decode()
        if path.endswith(".atom"):
            assert f'xml:lang="{code}"' in body, path
        elif "VEVENT" in body:
            assert f"DESCRIPTION;LANGUAGE={code}:" in body, path
