"""Export for translators and import of their files (XLIFF 1.2 and PO)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from translate.storage import po, xliff

from events.models import Event, Location, Review, ServiceOffering
from tests.events.test_reviews import past_event
from tests.factories import EventFactory, ServiceOfferingFactory
from translation_exchange.services import IMPORT_REASON

pytestmark = pytest.mark.django_db

URL = "/admin/uebersetzungen/"
EXPORT = "/admin/uebersetzungen/export/"


def soon(**fields):
    start = timezone.now() + timedelta(days=3)
    return EventFactory(
        published=True, start=start, end=start + timedelta(hours=3), **fields
    )


def export(client, language="en", file_format="xliff"):
    response = client.get(EXPORT, {"language": language, "file_format": file_format})
    assert response.status_code == 200, response.content[:500]
    return response


def parse(data: bytes, file_format: str):
    if file_format == "xliff":
        return xliff.xlifffile.parsestring(data)
    return po.pofile.parsestring(data)


def unit_id(unit, file_format):
    if file_format == "xliff":
        return unit.getid().rpartition("\x04")[2]
    return unit.getcontext()


def translated(data: bytes, file_format: str, targets: dict) -> bytes:
    """The file as a translator would send it back: targets filled in."""
    store = parse(data, file_format)
    for unit in store.units:
        if not unit.isheader() and unit_id(unit, file_format) in targets:
            unit.target = targets[unit_id(unit, file_format)]
    return bytes(store)


def upload(client, data: bytes, *, name="back.xlf", language="en"):
    return client.post(
        URL, {"language": language, "file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.parametrize(("file_format", "name"), [("xliff", "x.xlf"), ("po", "x.po")])
def test_an_export_translated_and_imported_lands_in_the_right_fields(
    staff_client, staff_user, file_format, name
):
    service = ServiceOfferingFactory(title="Bewerbungscheck")
    event = soon(title="Jobcenter im Quartier", services=[service])
    other = soon(title="Anderer Termin")
    response = export(staff_client, "tr", file_format)
    assert response["Content-Disposition"].endswith(f'.{name.split(".")[1]}"')
    store = parse(response.content, file_format)
    ids = {unit_id(u, file_format): u.source for u in store.units if not u.isheader()}
    assert ids[f"events.event/{event.pk}/title"] == "Jobcenter im Quartier"
    assert ids[f"events.location/{event.location_id}/name"] == event.location.name
    assert ids[f"events.serviceoffering/{service.pk}/title"] == "Bewerbungscheck"
    if file_format == "xliff":
        assert b'version="1.2"' in response.content
        assert b'target-language="tr"' in response.content
    back = translated(
        response.content,
        file_format,
        {
            f"events.event/{event.pk}/title": "Mahallede Jobcenter",
            f"events.event/{event.pk}/motto": "Sizin için",
            f"events.event/{other.pk}/title": "Başka bir randevu",
            f"events.serviceoffering/{service.pk}/title": "Başvuru kontrolü",
        },
    )
    response = upload(staff_client, back, name=name, language="tr")
    assert response.status_code == 200
    # Staff may change events but not services: reported, not imported.
    assert "Angebote" in response.content.decode()
    event = Event.objects.get(pk=event.pk)
    event.set_current_language("tr")
    assert event.title == "Mahallede Jobcenter"
    assert event.motto == "Sizin için"
    assert event.machine_translated is False
    assert (
        Event.objects.get(pk=other.pk).safe_translation_getter(
            "title", language_code="tr"
        )
        == "Başka bir randevu"
    )
    assert event.safe_translation_getter("title", language_code="de") == (
        "Jobcenter im Quartier"
    )
    assert not ServiceOffering.objects.get(pk=service.pk).has_translation("tr")
    record = event.translations.get(language_code="tr").history.first()
    assert record.history_user == staff_user
    assert record.history_change_reason == IMPORT_REASON


def test_an_import_marks_machine_drafts_as_checked(staff_client):
    event = soon()
    event.set_current_language("en")
    event.title, event.machine_translated = "Draft", True
    event.save_translations()
    response = export(staff_client, "en")
    back = translated(
        response.content, "xliff", {f"events.event/{event.pk}/title": "Checked"}
    )
    upload(staff_client, back)
    row = Event.objects.get(pk=event.pk).translations.get(language_code="en")
    assert (row.title, row.machine_translated) == ("Checked", False)


def review_file(review, body: str) -> bytes:
    store = xliff.xlifffile(sourcelanguage="de", targetlanguage="en")
    store.settargetlanguage("en")
    for name, target in (
        ("headline", "Looking back"),
        ("lead", "Short."),
        ("body", body),
    ):
        unit = store.addsourceunit("x")
        unit.setid(f"events.review/{review.pk}/{name}")
        unit.target = target
    return bytes(store)


def test_review_text_from_a_file_is_sanitised_as_on_save(staff_client):
    review = Review.objects.create(event=past_event(), headline="H", lead="L")
    data = review_file(
        review, '<p>Gut<script>alert(1)</script><a href="javascript:x()">a</a></p>'
    )
    response = upload(staff_client, data)
    assert response.status_code == 200
    review = Review.objects.get(pk=review.pk)
    review.set_current_language("en")
    assert "script" not in review.body
    assert "javascript" not in review.body
    assert review.body.startswith("<p>Gut")


def test_unknown_ids_and_fields_are_reported_and_the_rest_imported(staff_client):
    event = soon()
    store = xliff.xlifffile(sourcelanguage="de", targetlanguage="en")
    store.settargetlanguage("en")
    for uid in (
        f"events.event/{event.pk}/title",
        f"events.event/{event.pk}/slug",
        "events.event/999999/title",
        "auth.user/1/username",
        "<script>alert(1)</script>",
    ):
        unit = store.addsourceunit("x")
        unit.setid(uid)
        unit.target = "Hello"
    response = upload(staff_client, bytes(store))
    content = response.content.decode()
    assert response.status_code == 200
    assert f"events.event/{event.pk}/slug" in content
    assert "events.event/999999/title" in content
    assert "auth.user/1/username" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
    assert (
        Event.objects.get(pk=event.pk).safe_translation_getter(
            "title", language_code="en"
        )
        == "Hello"
    )


def test_a_new_language_without_its_required_title_is_reported(staff_client):
    event = soon()
    store = po.pofile()
    store.updateheader(add=True, Language="en")
    unit = store.addsourceunit("x")
    unit.setcontext(f"events.event/{event.pk}/motto")
    unit.target = "For you"
    response = upload(staff_client, bytes(store), name="x.po")
    assert "Titel: " in response.content.decode()
    assert not Event.objects.get(pk=event.pk).has_translation("en")


def test_a_text_the_field_refuses_is_reported_and_not_saved(staff_client):
    event = soon()
    store = xliff.xlifffile(sourcelanguage="de", targetlanguage="en")
    store.settargetlanguage("en")
    unit = store.addsourceunit("x")
    unit.setid(f"events.event/{event.pk}/title")
    unit.target = "x" * 300
    response = upload(staff_client, bytes(store))
    assert response.status_code == 200
    assert "höchstens 200 Zeichen" in response.content.decode()
    assert not Event.objects.get(pk=event.pk).has_translation("en")


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="q" source-language="de" target-language="en" datatype="plaintext"><body>
<trans-unit id="events.event/1/title"><source>x</source><target>&xxe;</target></trans-unit>
</body></file></xliff>"""


@pytest.mark.parametrize(
    ("data", "name", "language", "message"),
    [
        (XXE, "x.xlf", "en", "Dokumenttyp"),
        (b"\x00\xff\xfe garbage", "x.xlf", "en", "UTF-8"),
        (b"<xliff><unclosed>", "x.xlf", "en", "keine lesbare XLIFF-Datei"),
        (b"just some text", "x.xlf", "en", "keine XLIFF-Datei"),
        (b'msgid "a\nmsgstr', "x.po", "en", "PO"),
        (b"<html></html>", "x.docx", "en", "XLIFF (.xlf) oder PO (.po)"),
    ],
)
def test_hostile_or_broken_files_give_a_clear_error(
    staff_client, data, name, language, message
):
    response = upload(staff_client, data, name=name, language=language)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_above_5_mb_is_refused(staff_client):
    response = upload(staff_client, b"<" + b"x" * (5 * 1024 * 1024), name="big.xlf")
    assert response.status_code == 400
    assert "größer als 5" in response.content.decode()


def test_a_file_for_another_language_is_refused(staff_client):
    soon()
    data = export(staff_client, "tr").content
    response = upload(staff_client, data, language="en")
    assert response.status_code == 400
    assert "Türkisch" in response.content.decode()
    assert not Event.objects.filter(translations__language_code="en").exists()


def test_export_and_import_need_the_permission_to_change_events(coordinator_client):
    """Koordination may read events but not change them."""
    client = coordinator_client
    assert (
        client.get(EXPORT, {"language": "en", "file_format": "po"}).status_code == 403
    )
    assert upload(client, b"x").status_code == 403


def test_a_bad_export_choice_is_a_form_error(staff_client):
    response = staff_client.get(EXPORT, {"language": "xx", "file_format": "doc"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_the_admin_action_exports_the_selection_with_review_photos(staff_client):
    review = Review.objects.create(event=past_event(), headline="Rückblick", lead="L")
    other = Review.objects.create(event=past_event(), headline="Anderer", lead="L")
    url = reverse("admin:events_review_changelist")
    data = {"action": "export_for_translation", "_selected_action": [review.pk]}
    asked = staff_client.post(url, data)
    assert asked.status_code == 200
    assert "Rückblick" in asked.content.decode()
    response = staff_client.post(url, {**data, "language": "ar", "file_format": "po"})
    store = po.pofile.parsestring(response.content)
    ids = {u.getcontext() for u in store.units if not u.isheader()}
    assert f"events.review/{review.pk}/headline" in ids
    assert f"events.review/{other.pk}/headline" not in ids
    assert store.gettargetlanguage() == "ar"


def test_the_export_holds_only_what_misses_the_language(staff_client):
    event = soon()
    for code in ("en",):
        event.set_current_language(code)
        event.title, event.motto, event.description = "T", "M", "D"
        event.save_translations()
    data = export(staff_client, "en").content
    assert f"events.event/{event.pk}/title".encode() not in data
    assert f"events.location/{event.location_id}/name".encode() in data
    assert Location.objects.count() == 1


def test_a_po_file_may_mention_a_doctype_in_its_text(staff_client):
    event = soon()
    store = po.pofile()
    store.updateheader(add=True, Language="en")
    for name, target in (("title", "HTML"), ("description", "Write <!DOCTYPE html>.")):
        unit = store.addsourceunit("x")
        unit.setcontext(f"events.event/{event.pk}/{name}")
        unit.target = target
    response = upload(staff_client, bytes(store), name="x.po")
    assert response.status_code == 200
    assert (
        Event.objects.get(pk=event.pk).safe_translation_getter(
            "description", language_code="en"
        )
        == "Write <!DOCTYPE html>."
    )


def test_a_german_text_changed_since_the_export_is_imported_and_listed(staff_client):
    event = soon(title="Alter Titel")
    data = export(staff_client, "en").content
    event.title = "Neuer Titel"
    event.save()
    uid = f"events.event/{event.pk}/title"
    response = upload(staff_client, translated(data, "xliff", {uid: "Old title"}))
    report = response.content.decode().split("import-report")[1]
    assert uid in report
    assert (
        Event.objects.get(pk=event.pk).safe_translation_getter(
            "title", language_code="en"
        )
        == "Old title"
    )


def test_an_id_of_another_jobcenters_object_is_refused(staff_client, jobcenter):
    from jobcenters.hosts import forget_all
    from jobcenters.models import Host, Jobcenter
    from jobcenters.scoping import jobcenter_scope, scopes_disabled

    Host.objects.get_or_create(jobcenter=jobcenter, name="testserver")
    forget_all()
    other = Jobcenter.objects.create(name="Jobcenter B", slug="jobcenter-b")
    with jobcenter_scope(other):
        theirs = soon(title="Ihr Termin")
    store = xliff.xlifffile(sourcelanguage="de", targetlanguage="en")
    store.settargetlanguage("en")
    unit = store.addsourceunit("x")
    unit.setid(f"events.event/{theirs.pk}/title")
    unit.target = "Overwritten"
    response = upload(staff_client, bytes(store))
    assert response.status_code == 200
    assert f"events.event/{theirs.pk}/title" in response.content.decode()
    with scopes_disabled():
        theirs = Event.objects.get(pk=theirs.pk)
        assert not theirs.has_translation("en")
