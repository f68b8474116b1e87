"""Every asset a public page loads is local, and a page stays light."""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

from tests.events.test_views_detail import with_photo
from tests.factories import EventFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 100 * 1024  # bytes, gzip-compressed: HTML plus its stylesheets


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


class AssetCollector(HTMLParser):
    """The addresses a browser would fetch by itself: styles, scripts, images…"""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rel = (attrs.get("rel") or "").split()
            if {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(
                rel
            ):
                self.assets.append(attrs["href"])
                if "stylesheet" in rel:
                    self.stylesheets.append(attrs["href"])
        elif tag in ("script", "img", "source", "iframe", "video", "audio", "embed"):
            for name in ("src", "data-src"):
                if attrs.get(name):
                    self.assets.append(attrs[name])
            for candidate in (attrs.get("srcset") or "").split(","):
                if candidate.strip():
                    self.assets.append(candidate.split()[0])
        elif tag == "object" and attrs.get("data"):
            self.assets.append(attrs["data"])
        if attrs.get("style"):
            self.assets.append("inline-style:" + attrs["style"])


def collect(html: str) -> AssetCollector:
    parser = AssetCollector()
    parser.feed(html)
    return parser


@pytest.fixture
def pages():
    event = with_photo(
        EventFactory(published=True, services=[ServiceOfferingFactory()])
    )
    return [
        "/",
        "/archiv/",
        event.get_absolute_url(),
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/en/",
        "/gibt-es-nicht/",
    ]


def test_every_asset_of_every_public_page_is_local(client, pages):
    for path in pages:
        html = client.get(path).content.decode()
        assets = collect(html).assets
        assert assets, path
        for url in assets:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{path}: {url}"
            # Files, and the brand colour's stylesheet made by a view.
            assert url.startswith(("/static/", "/media/", "/marke.css?")), (
                f"{path}: {url}"
            )
        # No CSS from elsewhere through @import either.
        assert "@import" not in html


def test_pages_have_no_inline_script_or_style(client, pages):
    for path in pages:
        html = client.get(path).content.decode()
        scripts = re.findall(
            r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, re.S
        )
        for attrs, body in scripts:
            # Data (JSON-LD) may be inline; code only comes from a file.
            if 'type="application/ld+json"' not in attrs:
                assert 'src="/static/' in attrs and not body.strip(), path
        assert "<style" not in html, path
        assert " style=" not in html, path


def static_file(url: str) -> Path:
    name = url.removeprefix("/" + settings.STATIC_URL.lstrip("/"))
    found = finders.find(name)
    assert found, url
    return Path(found)


def stylesheet(client, url: str) -> bytes:
    if url.startswith("/marke.css"):
        return client.get(url).content
    return static_file(url).read_bytes()


def test_a_public_page_with_its_css_stays_under_100_kb_compressed(client):
    service = ServiceOfferingFactory()
    EventFactory.create_batch(20, published=True, services=[service])
    html = client.get("/").content
    stylesheets = collect(html.decode()).stylesheets
    assert any("bootstrap" in url for url in stylesheets)
    total = len(gzip.compress(html)) + sum(
        len(gzip.compress(stylesheet(client, url))) for url in stylesheets
    )
    assert total < PAGE_BUDGET, f"{total} bytes compressed"
