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
    assert "[" in html  # placeholders left for the operator are visible


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
