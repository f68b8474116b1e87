"""The admin's imports: upload → preview → "Import now", dry run, rights."""

import re
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Location
from events.roles import STAFF
from planning.admin_imports import PassersByCountImportMixin
from planning.models import PassersByCount, PastDate
from tests.factories import LocationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/planning/pastdate/import/"
CSV = (
    "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n"
    "23.07.2024;10:00;14:00;Marktplatz;Marktplatz 1;75175;Innenstadt;12\n"
    "24.07.2024;10:00;14:00;<script>alert(1)</script>;Markt 2;75175;Innenstadt;3\n"
)


def upload(text: str, name="termine.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def payload_of(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "no confirmation form"
    return match[1]


def test_the_changelist_offers_the_import(staff_client):
    response = staff_client.get("/admin/planning/pastdate/")
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


def test_upload_preview_confirm(staff_client, django_assert_max_num_queries):
    page = staff_client.get(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()

    with django_assert_max_num_queries(20):
        preview = staff_client.post(URL, {"file": upload(CSV)})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Innenstadt" in html  # the new district
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert not PastDate.objects.exists()

    with django_assert_max_num_queries(30):
        done = staff_client.post(URL, {"payload": payload_of(preview)})
    assert done.status_code == 302
    assert done["Location"] == "/admin/planning/pastdate/"
    assert PastDate.objects.count() == 2
    assert PastDate.objects.filter(source="termine.csv").count() == 2

    # The same file again: nothing twice.
    again = staff_client.post(URL, {"file": upload(CSV)})
    assert staff_client.post(URL, {"payload": payload_of(again)}).status_code == 302
    assert PastDate.objects.count() == 2
    assert Location.objects.count() == 2


def test_the_preview_keeps_few_queries_whatever_the_rows(
    staff_client, django_assert_max_num_queries
):
    rows = "".join(
        f"{day:02d}.07.2024;10:00;12:00;Ort {day % 5};Weg {day % 5};75175;Mitte;{day}\n"
        for day in range(1, 29)
    )
    text = "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n" + rows
    with django_assert_max_num_queries(20):
        preview = staff_client.post(URL, {"file": upload(text)})
    assert preview.status_code == 200
    with django_assert_max_num_queries(40):
        staff_client.post(URL, {"payload": payload_of(preview)})
    assert PastDate.objects.count() == 28


def test_a_dry_run_stops_at_the_preview(staff_client):
    preview = staff_client.post(URL, {"file": upload(CSV), "dry_run": "on"})
    assert preview.status_code == 200
    assert 'name="payload"' not in preview.content.decode()
    assert not PastDate.objects.exists()
    assert not Location.objects.exists()


def test_errors_are_listed_with_their_lines_and_nothing_is_offered(staff_client):
    text = CSV + "32.07.2024;10:00;14:00;Marktplatz;Marktplatz 1;75175;Innenstadt;1\n"
    preview = staff_client.post(URL, {"file": upload(text)})
    assert preview.status_code == 400
    html = preview.content.decode()
    assert "Zeile 4" in html
    assert 'name="payload"' not in html


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02" * 100, b"PK\x03\x04broken"],
    ids=["empty", "binary", "broken-zip"],
)
def test_junk_gives_a_form_error(staff_client, data):
    response = staff_client.post(
        URL, {"file": SimpleUploadedFile("x.csv", data, content_type="text/csv")}
    )
    assert response.status_code == 400
    assert not PastDate.objects.exists()


def test_a_10_mb_file_is_refused(staff_client):
    big = SimpleUploadedFile(
        "gross.csv", b"a;b\n" * (2_700_000), content_type="text/csv"
    )
    response = staff_client.post(URL, {"file": big})
    assert response.status_code == 400
    assert "zu groß" in response.content.decode()


def test_an_altered_payload_is_refused(staff_client):
    preview = staff_client.post(URL, {"file": upload(CSV)})
    payload = payload_of(preview)
    response = staff_client.post(URL, {"payload": payload[:-3] + "abc"})
    assert response.status_code == 400
    assert not PastDate.objects.exists()


def test_a_payload_is_only_good_for_its_user(staff_client, client, roles):
    preview = staff_client.post(URL, {"file": upload(CSV)})
    payload = payload_of(preview)
    other = type(client)()
    other.force_login(UserFactory(username="kollegin", groups=[STAFF]))
    assert other.post(URL, {"payload": payload}).status_code == 400
    assert not PastDate.objects.exists()


def test_coordinators_read_but_do_not_import(coordinator_client):
    # Koordination only reads, here as everywhere (events/roles.py).
    assert coordinator_client.get("/admin/planning/pastdate/").status_code == 200
    assert coordinator_client.post(URL, {"file": upload(CSV)}).status_code == 403
    assert not PastDate.objects.exists()


def test_without_the_right_no_import(client, staff_user):
    # Staff of the Jobcenter, but their role lacks the planning rights.
    Group.objects.get(name=STAFF).permissions.remove(
        *Permission.objects.filter(codename__endswith="_pastdate")
    )
    client.force_login(staff_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(CSV)}).status_code == 403
    assert "/import/" not in client.get("/admin/planning/pastdate/").content.decode()


def test_anonymous_visitors_go_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- The pedestrian counter's import on the PassersByCount changelist ---


@pytest.fixture
def counter_admin(settings):
    """The PassersByCount admin with the counter import (a stand-in if missing)."""
    registered = admin.site.is_registered(PassersByCount)
    if not registered:

        class StandIn(PassersByCountImportMixin, admin.ModelAdmin):
            pass

        admin.site.register(PassersByCount, StandIn)
        settings.ROOT_URLCONF = "tests.planning.counter_admin_urls"
    yield reverse("admin:planning_passersbycount_import")
    if not registered:
        admin.site.unregister(PassersByCount)


def test_counter_upload_preview_confirm(staff_client, counter_admin):
    market = LocationFactory(name="Marktplatz")
    text = "timestamp;pedestrians count\n2024-07-23T10:00:00+02:00;412\n"
    page = staff_client.get(counter_admin)
    assert page.status_code == 200
    preview = staff_client.post(
        counter_admin,
        {"location": market.pk, "file": upload(text, "zaehler.csv")},
    )
    assert preview.status_code == 200, preview.content.decode()
    assert "412" in preview.content.decode()
    assert not PassersByCount.objects.exists()
    done = staff_client.post(counter_admin, {"payload": payload_of(preview)})
    assert done.status_code == 302
    row = PassersByCount.objects.get()
    assert (row.location, row.date, row.hour, row.count, row.source) == (
        market,
        date(2024, 7, 23),
        10,
        412,
        "counter",
    )


def test_a_history_payload_is_no_counter_payload(staff_client, counter_admin):
    preview = staff_client.post(URL, {"file": upload(CSV)})
    response = staff_client.post(counter_admin, {"payload": payload_of(preview)})
    assert response.status_code == 400
    assert not PassersByCount.objects.exists()
