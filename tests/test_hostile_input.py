"""Hostile input: every public form field and query parameter, and the uploads.

A catalogue of nasty values is sent to each field and parameter (the lists of
fields come from the forms themselves, so a new field is covered without
touching this file). For every answer: no 5xx, the raw payload never appears
unescaped in the page, and nothing malformed is stored (a refused form stores
nothing; an accepted one stores values that pass the model's own validation).
"""

import os
import struct
import unicodedata
import zlib
from io import BytesIO
from urllib.parse import quote, urlsplit

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from events.forms import EventFilterForm, PageForm
from events.models import Event, Review, ReviewPhoto
from feedback.forms import FeedbackForm
from feedback.models import Feedback
from feedback.reports_forms import ReportFilterForm
from feedback.team import EVENT_PARAMETER, CountForm
from tests.factories import (
    EventFactory,
    FeedbackFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
    feedback_form_data,
    open_for_feedback,
)

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": "<script>alert('xss')</script>",
    "attribute": '" autofocus onfocus="alert(1)" x="',
    "img": "<img src=x onerror=alert(1)>",
    "svg": "<svg/onload=alert(1)>",
    "sql": "1' OR '1'='1'; DROP TABLE events_event; --",
    "sql_union": "0 UNION SELECT username, password FROM auth_user",
    "traversal": "../../../../etc/passwd",
    "encoded_traversal": "..%2F..%2F..%2Fetc%2Fpasswd",
    "null_byte": "oststadt\x00<b>",
    "overlong": "A" * 10_000,
    "rtl_override": "comment \u202egpj.exe",
    "emoji": "👩‍👩‍👧 Familie 🇩🇪",
    "huge_number": "9" * 40,
    "negative": "-1",
    "float": "1e309",
    "bad_date": "2024-02-30",
    "german_date": "31.12.2024",
    "far_date": "99999-01-01",
    "json": '{"$gt": ""}',
    "crlf": "x\r\nSet-Cookie: hacked=1",
    "javascript_url": "javascript:alert(document.cookie)",
    "protocol_relative": "//evil.example/",
}
# The staff pages get the values most likely to break something, to stay fast.
STAFF_PAYLOADS = {
    name: PAYLOADS[name]
    for name in (
        *("script", "attribute", "null_byte"),
        *("overlong", "huge_number", "bad_date"),
    )
}
HTML_SPECIAL = set("<>\"'")
# Live markup from the payloads, in any combination with escaped parts.
LIVE_MARKUP = ("<script>alert", "<img src=x", "<svg/onload", 'onfocus="alert')
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.fixture(autouse=True)
def _quiet(settings):
    """Every request reaches the view: no rate limit, no cached answers."""
    settings.FEEDBACK_RATE_LIMIT = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event():
    """A published event with services and target groups, open for feedback."""
    return open_for_feedback(
        services=[ServiceOfferingFactory(), ServiceOfferingFactory()],
        target_groups=[TargetGroupFactory()],
    )


def assert_harmless(response, payload: str, where: str) -> None:
    """No server error, and the payload shows only escaped (or not at all)."""
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", errors="replace")
    # JSON answers (the team page's) carry values as data, not markup.
    html = not response.get("Content-Type", "").startswith("application/json")
    if html and HTML_SPECIAL & set(payload):
        assert payload not in text, f"{where}: payload echoed unescaped"
    if html:
        for markup in LIVE_MARKUP:
            assert markup not in text, f"{where}: {markup} in the page"
    assert "\x00" not in text, f"{where}: NUL byte in the answer"
    assert "root:x:0:0" not in text, f"{where}: a file from the server"
    assert "hacked=1" not in response.headers.get("Set-Cookie", "")
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"])
        assert not target.netloc or target.netloc == "testserver", (
            f"{where}: redirects to {response['Location']}"
        )
        assert target.scheme in ("", "http", "https"), where


def text_values(instance: models.Model) -> dict[str, str]:
    return {
        field.name: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    }


def assert_clean(instance: models.Model) -> None:
    """What was stored passes the model's validation and carries no hidden controls."""
    instance.refresh_from_db()
    instance.full_clean()
    for name, value in text_values(instance).items():
        for char in value or "":
            assert char in "\n\t" or unicodedata.category(char) != "Cc", (
                f"{name}: control character {char!r} stored"
            )
            assert char not in BIDI_CONTROLS, f"{name}: bidi control {char!r} stored"


# Query parameters of the public pages, named by the forms that read them.

PUBLIC_QUERIES = {
    "/": [*EventFilterForm.base_fields, *PageForm.base_fields],
    "/archiv/": [*PageForm.base_fields],
}
# Pages that read no parameter still get one: it must be ignored harmlessly.
PUBLIC_PAGES = [
    "/veranstaltungen/{slug}/",
    "/veranstaltungen/{slug}.ics",
    "/veranstaltungen/{slug}/plakat/",
    "/kalender.ics",
    "/kalender/bezirk/{district}.ics",
    "/kalender/angebot/berufliche-entwicklung.ics",
    "/feed.atom",
    "/rueckblicke.atom",
    "/f/{code}/",
    "/f/{code}/danke/",
    "/f/{code}/fragebogen/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/benachrichtigungen/",
    "/benachrichtigungen/gesendet/",
    "/en/impressum/",
    "/healthz",
    "/readyz",
]
# Path parameters: the payload takes the place of the slug, category or code.
PATH_TEMPLATES = [
    "/veranstaltungen/{}/",
    "/veranstaltungen/{}.ics",
    "/veranstaltungen/{}/plakat/",
    "/kalender/bezirk/{}.ics",
    "/kalender/angebot/{}.ics",
    "/f/{}/",
    "/f/{}/danke/",
    "/f/{}/fragebogen/",
    "/benachrichtigungen/bestaetigen/1/{}/",
    "/benachrichtigungen/abmelden/1/{}/",
    "/en/veranstaltungen/{}/",
]


def page_address(template: str, event: Event) -> str:
    return template.format(
        slug=event.slug,
        code=event.short_code,
        district=event.location.district.slug,
    )


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("path", PUBLIC_QUERIES)
def test_list_parameters_withstand_hostile_values(client, event, path, payload):
    names = PUBLIC_QUERIES[path]
    for name in names:
        response = client.get(path, {name: payload})
        assert_harmless(response, payload, f"{path}?{name}")
    response = client.get(path, dict.fromkeys(names, payload))
    assert_harmless(response, payload, f"{path} with every parameter")
    # Repeated parameters: a harmless value first, then the hostile one.
    response = client.get(path, {name: ["1", payload] for name in names})
    assert_harmless(response, payload, f"{path} with repeated parameters")


def test_public_pages_ignore_unknown_parameters(client, event):
    # Every payload at once, as values and as names: one request per page.
    hostile = {f"x{n}": payload for n, payload in enumerate(PAYLOADS.values())}
    hostile.update({payload[:100]: "1" for payload in PAYLOADS.values()})
    for template in PUBLIC_PAGES:
        path = page_address(template, event)
        response = client.get(path, hostile)
        for payload in PAYLOADS.values():
            assert_harmless(response, payload, path)
        assert response.status_code == 200, path


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_path_parameters_withstand_hostile_values(client, event, payload):
    for template in PATH_TEMPLATES:
        path = template.format(quote(payload, safe=""))
        response = client.get(path)
        assert_harmless(response, payload, path)
        assert response.status_code in (301, 302, 404), path


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_language_switch_withstands_hostile_values(client, payload):
    for data in (
        {"language": payload, "next": "/"},
        {"language": "en", "next": payload},
        {"language": [payload, "en"], "next": [payload, "/"]},
    ):
        response = client.post("/i18n/setlang/", data)
        assert_harmless(response, payload, f"set_language {data}")
    response = client.get("/i18n/setlang/", {"next": payload})
    assert_harmless(response, payload, "set_language GET")


# The feedback form: every field of the form, one at a time.

FEEDBACK_FIELDS = list(FeedbackForm.base_fields)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("field", FEEDBACK_FIELDS)
def test_feedback_form_withstands_hostile_values(client, event, field, payload):
    for value in (payload, ["1", payload]):
        before = set(Feedback.objects.values_list("pk", flat=True))
        data = {**feedback_form_data(event, comment="Gut"), field: value}
        response = client.post(f"/f/{event.short_code}/", data)
        assert_harmless(response, payload, f"feedback {field}={value!r:.40}")
        stored = Feedback.objects.exclude(pk__in=before)
        if response.status_code == 200:
            assert not stored.exists(), f"{field}: refused, but stored"
        for feedback in stored:
            assert_clean(feedback)
        if field == "reference":
            assert not stored.exists(), "a filled-in honeypot stored the answer"


def test_an_accepted_comment_loses_its_control_characters(client, event):
    comment = "Gut\x00 beraten \u202eworden\u202c 👩‍👩‍👧\r\nDanke"
    response = client.post(
        f"/f/{event.short_code}/", feedback_form_data(event, comment=comment)
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.comment == "Gut beraten worden 👩‍👩‍👧\nDanke"


def test_an_overlong_comment_is_refused_and_nothing_stored(client, event):
    response = client.post(
        f"/f/{event.short_code}/", feedback_form_data(event, comment="A" * 10_000)
    )
    assert response.status_code == 200
    assert "höchstens 1000 Zeichen" in response.content.decode()
    assert not Feedback.objects.exists()


# Staff and coordinator pages: logged in, the same catalogue.

REPORT_PAGES = ["/auswertung/", "/auswertung/orte/", "/auswertung/kanaele/"]
REPORT_PARAMETERS = [
    *ReportFilterForm.base_fields,
    "seite",
    "sortierung",
    "format",
    "tabelle",
    "druck",
]


@pytest.mark.parametrize("payload", STAFF_PAYLOADS.values(), ids=STAFF_PAYLOADS.keys())
def test_coordinator_pages_withstand_hostile_values(coordinator_client, event, payload):
    FeedbackFactory(event=event)
    # The pages share one filter form: each parameter alone on the overview,
    # all of them at once on the others.
    for name in REPORT_PARAMETERS:
        response = coordinator_client.get("/auswertung/", {name: payload})
        assert_harmless(response, payload, f"/auswertung/?{name}")
    everything = dict.fromkeys(REPORT_PARAMETERS, payload)
    for path in [*REPORT_PAGES, f"/auswertung/veranstaltung/{event.pk}/"]:
        response = coordinator_client.get(path, everything)
        assert_harmless(response, payload, f"{path} with every parameter")
        response = coordinator_client.get(path, {"format": "csv", "tabelle": payload})
        assert_harmless(response, payload, f"{path} csv")
    response = coordinator_client.get(
        f"/auswertung/veranstaltung/{quote(payload, safe='')}/"
    )
    assert_harmless(response, payload, "event report path")


@pytest.mark.parametrize("payload", STAFF_PAYLOADS.values(), ids=STAFF_PAYLOADS.keys())
def test_team_page_withstands_hostile_values(staff_client, event, payload):
    response = staff_client.get("/team/", {EVENT_PARAMETER: payload})
    assert_harmless(response, payload, "team ?veranstaltung")
    valid = {"event": event.pk, "action": CountForm.COUNT}
    for field in CountForm.base_fields:
        data = {**valid, field: payload}
        for accept in ("text/html", "application/json"):
            response = staff_client.post("/team/", data, HTTP_ACCEPT=accept)
            assert_harmless(response, payload, f"team {field} ({accept})")
            assert response.status_code == 400, field
    assert not event.contacts.exists()


# Search, ordering and page: what every changelist reads.
ADMIN_QUERY_PARAMETERS = ["q", "o", "p"]


@pytest.mark.parametrize("payload", STAFF_PAYLOADS.values(), ids=STAFF_PAYLOADS.keys())
def test_admin_lists_withstand_hostile_values(client, event, payload):
    client.force_login(UserFactory(username="root", is_superuser=True))
    for model in admin.site._registry:
        opts = model._meta
        path = f"/admin/{opts.app_label}/{opts.model_name}/"
        for name in ADMIN_QUERY_PARAMETERS:
            response = client.get(path, {name: payload})
            assert_harmless(response, payload, f"{path}?{name}")
        relations = [
            field.name
            for field in opts.concrete_fields
            if field.many_to_one or field.one_to_one
        ]
        response = client.get(f"{path}add/", dict.fromkeys(relations, payload))
        assert_harmless(response, payload, f"{path}add/?{relations}")
        response = client.get(f"{path}{quote(payload, safe='')}/change/")
        assert_harmless(response, payload, f"{path}<payload>/change/")


# Uploads in the admin: the event photo and the review photos.


def image_bytes(fmt="JPEG", size=(64, 48), mode="RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


def decompression_bomb() -> bytes:
    """A PNG of 40,000 × 40,000 pixels (1.6 gigapixels) in a few hundred bytes."""
    width = height = 40_000

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + width // 8) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", rows)
        + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(document.domain)</script></svg>'
)
BAD_UPLOADS = {
    "text_as_jpeg": ("foto.jpg", b"<?php system($_GET['c']); ?>"),
    "truncated_jpeg": ("foto.jpg", image_bytes(size=(800, 600))[:700]),
    "svg_with_script": ("bild.svg", SVG_WITH_SCRIPT),
    "svg_as_png": ("bild.png", SVG_WITH_SCRIPT),
    "gif": ("bild.gif", image_bytes("GIF")),
    "html_as_webp": ("seite.webp", b"<html><script>alert(1)</script></html>"),
    "empty": ("leer.jpg", b""),
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def admin_form_data(response) -> dict:
    """The management forms of an admin add page's inlines, with no rows."""
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update(
            {
                management.add_prefix("TOTAL_FORMS"): 0,
                management.add_prefix("INITIAL_FORMS"): 0,
            }
        )
    return data


def stored_files(settings) -> set:
    root = settings.MEDIA_ROOT
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def new_files(settings):
    """The files uploads added to MEDIA_ROOT during the test (other tests share it)."""
    before = stored_files(settings)
    return lambda: stored_files(settings) - before


def post_event_with_photo(client, photo, *, location):
    page = client.get("/admin/events/event/add/")
    data = admin_form_data(page)
    data.update(
        {
            "title": "Fotoprobe",
            "status": Event.Status.DRAFT,
            "location": location.pk,
            "start_0": "2030-05-04",
            "start_1": "10:00",
            "end_0": "2030-05-04",
            "end_1": "14:00",
            "photo": photo,
            "photo_alt": "Der Stand",
        }
    )
    return client.post("/admin/events/event/add/", data)


def post_review_with_photo(client, photo, *, event):
    page = client.get("/admin/events/review/add/")
    data = admin_form_data(page)
    prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model is ReviewPhoto
    )
    data.update(
        {
            "event": event.pk,
            "headline": "Rückblick",
            "lead": "Kurz",
            "body": "<p>Text</p>",
            "status": Review.Status.DRAFT,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-image": photo,
            f"{prefix}-0-alt_text": "Der Stand",
            f"{prefix}-0-credit": "Jobcenter",
            f"{prefix}-0-position": "0",
        }
    )
    return client.post("/admin/events/review/add/", data)


def assert_refused(response, new_files, *messages):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "errornote" in html, "no error shown"
    assert any(message in html for message in messages), "no clear message"
    assert new_files() == set()


IMAGE_ERRORS = ("gültiges Bild", "zu groß", "zu viele Pixel", "leer")


@pytest.mark.parametrize("name", BAD_UPLOADS)
def test_event_photo_upload_refuses_bad_files(staff_client, new_files, name):
    location = EventFactory().location
    before = Event.objects.count()
    response = post_event_with_photo(
        staff_client, upload(*BAD_UPLOADS[name]), location=location
    )
    assert_refused(response, new_files, *IMAGE_ERRORS)
    assert Event.objects.count() == before


@pytest.mark.parametrize("name", BAD_UPLOADS)
def test_review_photo_upload_refuses_bad_files(staff_client, new_files, name):
    event = EventFactory(published=True)
    response = post_review_with_photo(
        staff_client, upload(*BAD_UPLOADS[name]), event=event
    )
    assert_refused(response, new_files, *IMAGE_ERRORS)
    assert not Review.objects.exists()
    assert not ReviewPhoto.objects.exists()


def test_a_decompression_bomb_is_refused_with_a_message(staff_client, new_files):
    location = EventFactory().location
    response = post_event_with_photo(
        staff_client, upload("bombe.png", decompression_bomb()), location=location
    )
    assert_refused(response, new_files, *IMAGE_ERRORS)
    assert Event.objects.count() == 1


def test_an_over_large_photo_is_refused_with_a_message(
    staff_client, settings, new_files
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    event = EventFactory(published=True)
    # Random noise does not compress: about 120 kB of PNG.
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    buffer = BytesIO()
    noise.save(buffer, format="PNG")
    big = buffer.getvalue()
    assert len(big) > settings.IMAGE_UPLOAD_MAX_BYTES
    response = post_review_with_photo(
        staff_client, upload("gross.png", big), event=event
    )
    assert_refused(response, new_files, "zu groß")
    assert not Review.objects.exists()


def test_a_good_photo_is_accepted(staff_client, settings):
    """The refusals above are not refusing everything."""
    location = EventFactory().location
    response = post_event_with_photo(
        staff_client, upload("gut.png", image_bytes("PNG")), location=location
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Event.objects.get(translations__title="Fotoprobe").photo
