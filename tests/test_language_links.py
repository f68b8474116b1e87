"""The alternate-language links in every page's head."""

import pytest

pytestmark = pytest.mark.django_db


def test_alternate_languages_are_absolute_addresses(client, settings):
    settings.SITE_URL = "https://quartier.example.org"
    html = client.get("/archiv/").content.decode()
    assert (
        '<link rel="alternate" hreflang="de" href="https://quartier.example.org/archiv/">'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="en" '
        'href="https://quartier.example.org/en/archiv/">' in html
    )


@pytest.mark.parametrize(
    ("prefix", "short"), [("", "DE"), ("/tr", "TR"), ("/de-x-ls", "LS")]
)
def test_the_menu_shows_a_short_code_on_a_phone(client, prefix, short):
    html = client.get(f"{prefix}/archiv/").content.decode()
    assert (
        f'<span class="language-menu__code" aria-hidden="true">{short}</span>' in html
    )
