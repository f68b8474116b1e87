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
