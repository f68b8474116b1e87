"""The Jobcenter in the admin: the operator's, and Koordination's own."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from events.roles import COORDINATION, STAFF
from jobcenters.models import Host, Jobcenter
from tests.accounts import force_login_verified
from tests.factories import UserFactory
from tests.jobcenters.helpers import (
    MP4,
    SECOND_HOST,
    WEBVTT,
    second_jobcenter,
    with_host,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:jobcenters_jobcenter_changelist")


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


CLEAN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


def change_url(jobcenter) -> str:
    return reverse("admin:jobcenters_jobcenter_change", args=[jobcenter.pk])


@pytest.fixture
def first(jobcenter):
    return with_host(jobcenter, "testserver")


@pytest.fixture
def second(first):
    return second_jobcenter()


@pytest.fixture
def koordination(client, roles, first):
    force_login_verified(
        client, UserFactory(username="koordination", groups=[COORDINATION])
    )
    return client


@pytest.fixture
def operator(client, first):
    force_login_verified(client, UserFactory(username="betrieb", is_superuser=True))
    return client


def form_data(jobcenter, **changes) -> dict:
    data = {
        "name": jobcenter.name,
        "short_name": jobcenter.short_name,
        "slug": jobcenter.slug,
        "kind": jobcenter.kind,
        "state": jobcenter.state,
        "brand_color": jobcenter.brand_color,
        "legal_body": "Herausgeber",
        "street": "Weg 1",
        "postcode": "12345",
        "city": "Stadt",
        "represented_by": "Frau Chefin",
        "phone": "0123",
        "email": "info@example.org",
        "supervisory_authority": "Aufsicht",
        "data_protection_officer": "DSB",
        "accessibility_contact": "barrieren@example.org",
        "accessibility_reviewed_on": "01.03.2026",
        "enforcement_body": "",
    }
    return {**data, **changes}


def host_formset(jobcenter, *rows) -> dict:
    hosts = list(jobcenter.hosts.all())
    data = {
        "hosts-TOTAL_FORMS": str(len(hosts) + len(rows)),
        "hosts-INITIAL_FORMS": str(len(hosts)),
        "hosts-MIN_NUM_FORMS": "0",
        "hosts-MAX_NUM_FORMS": "1000",
    }
    for index, host in enumerate(hosts):
        data[f"hosts-{index}-id"] = str(host.pk)
        data[f"hosts-{index}-jobcenter"] = str(jobcenter.pk)
        data[f"hosts-{index}-name"] = host.name
        if host.is_primary:
            data[f"hosts-{index}-is_primary"] = "on"
    for offset, name in enumerate(rows, start=len(hosts)):
        data[f"hosts-{offset}-name"] = name
    return data


# Roles


def test_setup_roles_lets_koordination_view_and_change_jobcenters_only(roles):
    from django.contrib.auth.models import Group

    call_command("setup_roles", verbosity=0)
    codes = set(
        Group.objects.get(name=COORDINATION)
        .permissions.filter(content_type__app_label="jobcenters")
        .values_list("codename", flat=True)
    )
    assert codes == {"view_jobcenter", "change_jobcenter"}
    assert (
        not Group.objects.get(name=STAFF)
        .permissions.filter(content_type__app_label="jobcenters")
        .exists()
    )


# Koordination: its own Jobcenter, its own details


def test_koordination_sees_only_its_own_jobcenter(koordination, first, second):
    response = koordination.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [first]


def test_koordination_cannot_open_another_jobcenter(koordination, first, second):
    response = koordination.get(change_url(second))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_koordination_cannot_change_another_jobcenter(koordination, first, second):
    koordination.post(change_url(second), form_data(second, street="Gekapert 1"))
    second.refresh_from_db()
    assert second.street == "Zweiweg 2"


def test_koordination_of_one_has_no_rights_on_the_others_host(koordination, second):
    response = koordination.get(change_url(second), HTTP_HOST=SECOND_HOST)
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != change_url(second)


def test_koordination_changes_its_own_details(koordination, first):
    response = koordination.post(change_url(first), form_data(first))
    assert response.status_code == 302, response.context["adminform"].form.errors
    first.refresh_from_db()
    assert first.street == "Weg 1"
    assert str(first.accessibility_reviewed_on) == "2026-03-01"


def test_koordination_cannot_change_slug_or_host_names(koordination, first):
    hosts_before = sorted(first.hosts.values_list("name", flat=True))
    page = koordination.get(change_url(first))
    form = page.context["adminform"].form
    assert "slug" not in form.fields
    assert page.context["inline_admin_formsets"] == []
    koordination.post(
        change_url(first),
        {**form_data(first, slug="gekapert"), **host_formset(first, "boese.example")},
    )
    first.refresh_from_db()
    assert first.slug != "gekapert"
    assert sorted(first.hosts.values_list("name", flat=True)) == hosts_before
    assert not Host.objects.filter(name="boese.example").exists()


def test_koordination_may_not_add_or_delete(koordination, first):
    assert (
        koordination.get(reverse("admin:jobcenters_jobcenter_add")).status_code == 403
    )
    delete = reverse("admin:jobcenters_jobcenter_delete", args=[first.pk])
    assert koordination.post(delete, {"post": "yes"}).status_code == 403
    assert Jobcenter.objects.filter(pk=first.pk).exists()


def test_staff_cannot_open_the_jobcenter(client, roles, first):
    client.force_login(UserFactory(username="mitarbeit", groups=[STAFF]))
    assert client.get(change_url(first)).status_code == 403


# The operator


def test_the_operator_sees_and_adds_jobcenters_with_host_names(operator, first, second):
    assert set(operator.get(CHANGELIST).context["cl"].result_list) == {first, second}
    data = {
        **form_data(
            Jobcenter(), name="Jobcenter Drei", slug="drei", brand_color="#0b5394"
        ),
        "hosts-TOTAL_FORMS": "1",
        "hosts-INITIAL_FORMS": "0",
        "hosts-MIN_NUM_FORMS": "0",
        "hosts-MAX_NUM_FORMS": "1000",
        "hosts-0-name": "drei.testserver",
        "hosts-0-is_primary": "on",
    }
    response = operator.post(reverse("admin:jobcenters_jobcenter_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    third = Jobcenter.objects.get(slug="drei")
    assert list(third.hosts.values_list("name", "is_primary")) == [
        ("drei.testserver", True)
    ]


# The checklist in the admin


def test_the_change_page_lists_what_is_missing_on_top(koordination, first):
    html = koordination.get(change_url(first)).content.decode()
    assert "Vor dem Start" in html
    assert '<a href="#id_legal_body">Herausgeber</a>' in html
    assert html.index("go-live-checklist") < html.index('id="jobcenter_form"')


def test_the_admin_index_shows_the_notice_while_items_are_missing(koordination, first):
    html = koordination.get(reverse("admin:index")).content.decode()
    assert "go-live-notice" in html
    assert f'href="{change_url(first)}"' in html


def test_the_admin_index_shows_no_notice_when_complete(koordination, first):
    from tests.jobcenters.helpers import add_sign_language_video

    for field, value in form_data(first).items():
        if field != "accessibility_reviewed_on":
            setattr(first, field, value)
    first.accessibility_reviewed_on = "2026-03-01"
    add_sign_language_video(first)
    html = koordination.get(reverse("admin:index")).content.decode()
    assert "go-live-notice" not in html


# Hostile input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"legal_body": "x" * 2001}, "legal_body"),
        ({"street": "x" * 201}, "street"),
        ({"email": "keine-adresse"}, "email"),
        ({"brand_color": "red"}, "brand_color"),
        ({"brand_color": "#ffff00"}, "brand_color"),  # too light to read on white
        ({"accessibility_reviewed_on": "gestern"}, "accessibility_reviewed_on"),
    ],
)
def test_bad_text_is_a_form_error(koordination, first, changes, field):
    response = koordination.post(change_url(first), form_data(first, **changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


SCRIPTED_SVGS = [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT >x</SCRIPT></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="java&#x73;cript&#58;alert(1)">x</a></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="java\tscript:alert(1)">x</a></svg>',
    b'<svg/onload="alert(1)" xmlns="http://www.w3.org/2000/svg"></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><a href="data:text/html,x">x</a></svg>',
    b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"></svg>',
]


@pytest.mark.parametrize(
    ("field", "name", "content"),
    [
        *(("logo", "logo.svg", svg) for svg in SCRIPTED_SVGS),
        ("logo", "logo.svg", b"not an svg at all"),
        ("logo", "logo.png", b"\x89PNG but broken"),
        ("logo", "logo.png", CLEAN_SVG),  # named what it is not
        ("logo", "logo.gif", b"GIF89a"),
        ("dgs_video", "video.mp4", b"no video here"),
        ("dgs_video", "video.webm", MP4),  # an MP4 named .webm
        ("dgs_video", "video.avi", MP4),
        ("dgs_captions", "captions.vtt", b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n"),
        ("dgs_captions", "captions.vtt", b"\xff\xfeW\x00E\x00B\x00"),
        ("dgs_captions", "captions.txt", WEBVTT),
    ],
)
def test_bad_files_are_a_form_error(koordination, first, field, name, content):
    data = form_data(first, **{field: SimpleUploadedFile(name, content)})
    response = koordination.post(change_url(first), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    first.refresh_from_db()
    assert not getattr(first, field)


@pytest.mark.parametrize(
    ("field", "name", "content"),
    [
        ("logo", "logo.svg", CLEAN_SVG),
        ("logo", "logo.png", png()),
        ("dgs_video", "video.mp4", MP4),
        ("dgs_video", "video.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 32),
        ("dgs_captions", "captions.vtt", WEBVTT),
        ("dgs_captions", "captions.vtt", b"\xef\xbb\xbfWEBVTT - Erkl\xc3\xa4rung\n\n"),
    ],
)
def test_good_files_are_stored(koordination, first, field, name, content):
    data = form_data(first, **{field: SimpleUploadedFile(name, content)})
    response = koordination.post(change_url(first), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    first.refresh_from_db()
    with getattr(first, field).open("rb") as stored:
        assert stored.read() == content
