"""The legal pages show the details of the Jobcenter whose host was asked for."""

import re
from datetime import date
from pathlib import Path

import polib
import pytest
from django.utils import translation

from jobcenters.demo import fill_demo_legal_details
from jobcenters.models import Jobcenter
from tests.jobcenters.helpers import (
    FILLED,
    SECOND_HOST,
    add_sign_language_video,
    second_jobcenter,
    with_host,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LEGAL_PATHS = (
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
)
# Text in square brackets, as placeholders for an operator were written.
PLACEHOLDER = re.compile(r"\[[^\]\n]{2,}\]")


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture
def first(jobcenter):
    return with_host(jobcenter, "testserver")


@pytest.fixture
def second(first):
    return second_jobcenter()


def page(client, path, host="testserver") -> str:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


# No placeholders


def legal_templates():
    folders = [ROOT / "templates" / "legal", ROOT / "templates" / "events" / "easy"]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_legal_templates_are_found():
    names = {path.name for path in legal_templates()}
    assert {"imprint.html", "privacy.html", "accessibility.html"} <= names


@pytest.mark.parametrize("template", legal_templates(), ids=lambda path: path.name)
def test_no_legal_template_holds_a_placeholder_in_brackets(template):
    # Template tags and comments are code, not text a visitor reads.
    text = re.sub(r"{%.*?%}|{#.*?#}|{{.*?}}", "", template.read_text(), flags=re.S)
    assert PLACEHOLDER.findall(text) == []


def test_no_german_text_of_a_legal_page_holds_a_placeholder():
    catalogue = polib.pofile(str(ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    found = [
        entry.msgstr
        for entry in catalogue
        if not entry.obsolete
        and any(
            path.startswith("templates/legal/") for path, _line in entry.occurrences
        )
        and PLACEHOLDER.search(entry.msgstr + entry.msgid)
    ]
    assert found == []


def test_the_placeholder_check_finds_a_placeholder():
    assert PLACEHOLDER.findall("Telefon: [Telefonnummer]") == ["[Telefonnummer]"]


@pytest.mark.parametrize("path", LEGAL_PATHS)
def test_pages_of_a_jobcenter_without_details_show_no_brackets(client, first, path):
    html = page(client, path)
    assert PLACEHOLDER.findall(html) == []


# Each Jobcenter's own details


def test_imprint_shows_the_details_of_the_jobcenter_of_the_host(client, first, second):
    html = page(client, "/impressum/", SECOND_HOST)
    for value in ("Jobcenter Zwei", "Zweiweg 2", "22222 Zweistadt", "0222 22222"):
        assert value in html
    assert 'href="mailto:kontakt@zwei.example.org"' in html
    assert "Vertreten durch den Geschäftsführer Zacharias Zwei." in html
    assert "<h2>Aufsichtsbehörde</h2>" in html and "Aufsichtsamt Zwei" in html
    assert (
        "§ 18 Abs. 2 Medienstaatsvertrag (MStV): den Geschäftsführer Zacharias Zwei"
        in html
    )
    assert first.name not in html


def test_the_first_jobcenter_does_not_show_the_seconds_details(client, first, second):
    html = page(client, "/impressum/")
    assert first.name in html
    for value in FILLED.values():
        assert value not in html


def test_privacy_statement_names_the_controller_and_officer(client, first, second):
    html = page(client, "/datenschutz/", SECOND_HOST)
    assert "Zweiweg 2" in html
    assert "Datenschutz Zwei, datenschutz@zwei.example.org" in html
    assert "Bundesbeauftragte für den Datenschutz" in html  # a joint institution


def test_accessibility_statement_names_the_site_and_the_contact(client, first, second):
    Jobcenter.objects.filter(pk=second.pk).update(
        accessibility_reviewed_on=date(2026, 3, 1)
    )
    html = page(client, "/barrierefreiheit/", SECOND_HOST)
    assert "unter http://zwei.testserver" in html
    assert "barrieren@zwei.example.org" in html
    assert "Zuletzt überprüft wurde sie am 1. März 2026." in html


def test_easy_read_gives_the_jobcenters_e_mail_and_phone(client, first, second):
    html = page(client, "/leichte-sprache/", SECOND_HOST)
    assert "Wir sind das Jobcenter Zwei." in html
    assert 'href="mailto:kontakt@zwei.example.org"' in html
    assert "0222 22222" in html


# Missing details are left out


def test_imprint_leaves_out_what_is_missing(client, first):
    html = page(client, "/impressum/")
    assert "Vertreten durch" not in html
    assert "<h2>Aufsichtsbehörde</h2>" not in html
    assert "<h2>Kontakt</h2>" not in html
    assert "nennen wir hier in Kürze" in html  # § 18 MStV: said neutrally


def test_privacy_says_the_officer_follows(client, first):
    html = page(client, "/datenschutz/")
    assert "Datenschutzbeauftragten ergänzen wir hier in Kürze" in html


def test_easy_read_without_contact_leaves_the_lines_out(client, first):
    html = page(client, "/leichte-sprache/")
    assert "Schreiben Sie eine E-Mail an" not in html
    assert "Oder rufen Sie uns an" not in html


# Enforcement body by kind


def test_joint_institution_names_the_federal_conciliation_body(client, first):
    html = page(client, "/barrierefreiheit/")
    assert "Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz" in html
    assert "Mauerstraße 53" in html
    assert 'href="https://www.schlichtungsstelle-bgg.de"' in html


def test_municipal_jobcenter_without_entry_names_no_federal_body(client, first):
    Jobcenter.objects.filter(pk=first.pk).update(
        kind=Jobcenter.Kind.MUNICIPAL, state=Jobcenter.State.BY
    )
    html = page(client, "/barrierefreiheit/")
    assert "Schlichtungsstelle" not in html
    assert "Behindertengleichstellungsrecht des Landes Bayern" in html
    privacy = page(client, "/datenschutz/")
    assert "Datenschutzaufsichtsbehörde des Landes Bayern" in privacy
    assert "BfDI" not in privacy


def test_an_entered_enforcement_body_is_named_instead(client, first):
    Jobcenter.objects.filter(pk=first.pk).update(
        kind=Jobcenter.Kind.MUNICIPAL, enforcement_body="Ombudsstelle Musterland"
    )
    html = page(client, "/barrierefreiheit/")
    assert "Ombudsstelle Musterland" in html
    assert "Schlichtungsstelle" not in html


# German Sign Language


def test_without_a_video_the_pages_say_one_follows_and_how_to_ask(client, first):
    statement = page(client, "/barrierefreiheit/")
    assert "<video" not in statement
    assert "ein Video folgt" in statement
    assert "§ 17 Abs. 2 SGB I" in statement
    easy = page(client, "/leichte-sprache/")
    assert "Wir holen eine Person für Gebärden·sprache." in easy
    home = page(client, "/de-x-ls/")
    assert "Bald gibt es hier ein Video in Gebärden·sprache." in home


@pytest.mark.parametrize(
    "path", ["/barrierefreiheit/", "/leichte-sprache/", "/de-x-ls/"]
)
def test_the_video_is_shown_with_captions(client, first, path):
    add_sign_language_video(first)
    html = page(client, path)
    assert '<video class="dgs-video" controls preload="none">' in html
    assert re.search(
        r'<source src="/media/jobcenters/dgs/erklaerung[^"]*\.mp4" type="video/mp4">',
        html,
    )
    assert re.search(
        r'<track kind="captions" srclang="de" label="Deutsch" '
        r'src="/media/jobcenters/dgs/erklaerung[^"]*\.vtt" default>',
        html,
    )
    assert "ein Video folgt" not in html


def test_a_video_without_captions_has_no_track(client, first):
    add_sign_language_video(first, captions=False)
    html = page(client, "/barrierefreiheit/")
    assert "<video" in html and "<track" not in html


# Cost


@pytest.mark.parametrize("path", LEGAL_PATHS)
def test_legal_pages_cost_no_query(
    client, first, second, path, django_assert_num_queries
):
    add_sign_language_video(second)
    page(client, path, SECOND_HOST)  # the host is looked up once per process
    with django_assert_num_queries(0):
        page(client, path, SECOND_HOST)


# Demo values


def test_demo_details_are_marked_and_fill_the_checklist(first):
    from jobcenters.checklist import missing_items

    fill_demo_legal_details(first)
    first.refresh_from_db()
    assert "Beispiel" in first.legal_body and "Beispiel" in first.street
    assert [item.field for item in missing_items(first)] == ["dgs_video"]


def test_demo_details_keep_what_was_entered(first):
    Jobcenter.objects.filter(pk=first.pk).update(city="Echtstadt")
    first.refresh_from_db()
    fill_demo_legal_details(first)
    first.refresh_from_db()
    assert first.city == "Echtstadt"


def test_cached_pages_are_kept_per_jobcenter(client, first, second, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    assert "Zweiweg 2" not in page(client, "/impressum/")
    assert "Zweiweg 2" in page(client, "/impressum/", SECOND_HOST)
    assert "Zweiweg 2" not in page(client, "/impressum/")
