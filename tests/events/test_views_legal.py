"""Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.mark.parametrize(
    ("path", "heading", "musts"),
    [
        (
            "/impressum/",
            "Impressum",
            ["§ 5 Digitale-Dienste-Gesetz", "§ 18 Abs. 2 Medienstaatsvertrag"],
        ),
        (
            "/datenschutz/",
            "Datenschutzerklärung",
            [
                "Datenschutzbeauftragte",
                "weder Ihre IP-Adresse noch die Kennung Ihres Browsers",
                "csrftoken",
                "Art. 15 DSGVO",
                "Art. 77 DSGVO",
            ],
        ),
        (
            "/barrierefreiheit/",
            "Erklärung zur Barrierefreiheit",
            ["BITV 2.0", "Bekannte Einschränkungen", "Schlichtungsstelle", "§ 16"],
        ),
    ],
)
def test_legal_pages_have_their_required_parts(client, path, heading, musts):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    for must in musts:
        assert must in html
    assert "[" not in html  # no placeholder left for an operator to fill in


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/en/impressum/", "Imprint"),
        ("/en/datenschutz/", "Privacy statement"),
        ("/en/barrierefreiheit/", "Accessibility statement"),
    ],
)
def test_legal_pages_in_english(client, path, heading):
    html = client.get(path).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert '<html lang="en">' in html


def test_privacy_names_the_retention_rule_the_code_applies(client, settings):
    settings.COMMENT_RETENTION_MONTHS = 18
    html = client.get("/datenschutz/").content.decode()
    assert "Kommentare werden 18 Monate nach dem Absenden gelöscht." in html


def test_public_pages_set_no_cookies(client):
    for path in ("/", "/archiv/", "/impressum/", "/datenschutz/", "/en/"):
        assert client.get(path).cookies == {}, path


# Leichte Sprache (BITV 2.0 § 4)


def test_easy_read_explains_content_navigation_and_accessibility(client):
    response = client.get("/leichte-sprache/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Leichte Sprache</h1>" in html
    for heading in (
        "Wer sind wir?",
        "Was steht auf dieser Internet·seite?",
        "Wie benutze ich diese Internet·seite?",
        "Barrierefreiheit",
        "Brauchen Sie Hilfe?",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "Wir sind das Jobcenter Pforzheim." in html
    assert 'href="/barrierefreiheit/"' in html


def test_easy_read_names_the_buttons_as_the_pages_label_them(client):
    easy_read = client.get("/leichte-sprache/").content.decode()
    home = client.get("/").content.decode()
    for label in ("Termine anzeigen",):
        assert f"„{label}“" in easy_read
        assert f">{label}</button>" in home
    for label in ("In den Kalender eintragen", "Rückmeldung geben", "Abgesagt"):
        assert label in easy_read


def test_easy_read_in_english(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = client.get("/en/leichte-sprache/").content.decode()
    assert "<h1>Easy Read</h1>" in html
    assert '<html lang="en">' in html
    assert "Then press the button “Show dates”." in html


def test_every_page_links_to_easy_read_and_the_statement_too(client):
    for path in ("/", "/archiv/", "/barrierefreiheit/"):
        html = client.get(path).content.decode()
        assert '<a href="/leichte-sprache/">Leichte Sprache</a>' in html, path
    statement = client.get("/barrierefreiheit/").content.decode()
    assert "Die Erläuterungen in Leichter Sprache finden Sie hier." in statement
    assert (
        "noch keine Erläuterungen zur Website in Deutscher Gebärdensprache" in statement
    )
