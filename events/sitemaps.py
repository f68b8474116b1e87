"""Sitemaps for search engines: every public page in every language.

``/sitemap.xml`` is an index of the files ``/sitemap-seiten.xml`` (the list,
the archive, the legal pages) and ``/sitemap-termine.xml?p=N`` (the public
events, published and cancelled, upcoming and past, newest first). Each
address is listed in every site language with its ``hreflang`` alternates and
German as ``x-default``, as the pages' own ``<link rel="alternate">`` say.
Addresses are the Jobcenter's own (``site_url``): each host lists only its
Jobcenter's pages.

Written here rather than with ``django.contrib.sitemaps``, whose language
support builds every item × language pair in memory to count pages: with
100,000 events each file would read all of them. A file here reads one page
of events (two queries) and writes its XML by joining strings.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from math import ceil

from django.conf import settings
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from events.models import Event
from jobcenters.hosts import current_jobcenter, site_url

# Search engines read at most 50,000 addresses (and 50 MB) per file; each event
# is listed once per language (eight by default), each with all alternates:
# 500 events make 4,000 addresses, about 4 MB.
EVENTS_PER_FILE = 500
PAGE_NAMES = (
    "events:upcoming",
    "events:archive",
    "imprint",
    "privacy",
    "accessibility",
    "easy_read",
)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class IndexEntry:
    location: str
    last_modified: datetime | None


@lru_cache(maxsize=32)
def language_prefix(language: str) -> str:
    """The path prefix of a language: "" for German, "/en" for English…

    The public paths are the same in every language, under this prefix.
    """
    with translation.override(language):
        return reverse("events:upcoming").removesuffix("/")


def _url_entry(base: str, path: str, last_modified: datetime | None) -> Iterable[str]:
    """One <url> per language, each naming all languages and x-default."""
    codes = [code for code, _name in settings.LANGUAGES]
    addresses = {code: escape(base + language_prefix(code) + path) for code in codes}
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{address}"/>'
        for code, address in addresses.items()
    )
    alternates += (
        '<xhtml:link rel="alternate" hreflang="x-default" '
        f'href="{addresses[settings.LANGUAGE_CODE]}"/>'
    )
    lastmod = (
        f"<lastmod>{last_modified.date().isoformat()}</lastmod>"
        if last_modified
        else ""
    )
    for address in addresses.values():
        yield f"<url><loc>{address}</loc>{lastmod}{alternates}</url>\n"


def _urlset(entries: Iterable[str]) -> str:
    return (
        XML_HEAD + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "".join(entries)
        + "</urlset>\n"
    )


def _public_events() -> QuerySet[Event]:
    return Event.objects.public()


def event_files() -> int:
    """How many files the events take (at least one, perhaps empty)."""
    return max(1, ceil(_public_events().count() / EVENTS_PER_FILE))


def pages_sitemap() -> str:
    base = site_url(current_jobcenter())
    with translation.override(settings.LANGUAGE_CODE):
        paths = [reverse(name) for name in PAGE_NAMES]
    return _urlset(entry for path in paths for entry in _url_entry(base, path, None))


def events_sitemap(page: int) -> str | None:
    """One file of events; None for a page past the end."""
    if page < 1 or page > event_files():
        return None
    start = (page - 1) * EVENTS_PER_FILE
    rows = (
        _public_events()
        .order_by("-start", "-pk")
        .values_list("slug", "updated_at")[start : start + EVENTS_PER_FILE]
    )
    base = site_url(current_jobcenter())
    with translation.override(settings.LANGUAGE_CODE):
        # One reverse for the pattern; each slug is put into its place.
        pattern = reverse("events:detail", kwargs={"slug": "slug-placeholder"})
    return _urlset(
        entry
        for slug, updated_at in rows
        for entry in _url_entry(
            base, pattern.replace("slug-placeholder", slug), updated_at
        )
    )


def index_entries(section_url) -> list[IndexEntry]:
    """The files of the sitemap; ``section_url(name)`` gives a file's path."""
    base = site_url(current_jobcenter())
    latest = _public_events().aggregate(latest=Max("updated_at"))["latest"]
    events = base + section_url("termine")
    return [
        IndexEntry(base + section_url("seiten"), None),
        IndexEntry(events, latest),
        *(
            IndexEntry(f"{events}?p={page}", latest)
            for page in range(2, event_files() + 1)
        ),
    ]


def sitemap_index(entries: list[IndexEntry]) -> str:
    items = []
    for entry in entries:
        lastmod = (
            f"<lastmod>{entry.last_modified.isoformat()}</lastmod>"
            if entry.last_modified
            else ""
        )
        items.append(
            f"<sitemap><loc>{escape(entry.location)}</loc>{lastmod}</sitemap>\n"
        )
    return (
        XML_HEAD
        + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(items)
        + "</sitemapindex>\n"
    )
