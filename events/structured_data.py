"""schema.org JSON-LD and Open Graph data for the public event pages.

Search engines and link previews (messengers, social networks) read these.
``page_graph`` returns one ``@graph``, so a later review page can add its
``Article`` next to the ``Event`` without a second script block.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from events import share_cards
from events.formatting import event_date_range
from events.models import Event, Review
from events.translation import shown
from jobcenters.hosts import current_jobcenter, site_url

SCHEMA = "https://schema.org"

# As django.utils.html.json_script: nothing in the data can close the
# <script> element or open an HTML comment inside it.
# Open Graph wants a territory as well.
OG_LOCALES = {
    "de": "de_DE",
    "de-x-ls": "de_DE",
    "en": "en_GB",
    "tr": "tr_TR",
    "ar": "ar_AR",
    "uk": "uk_UA",
    "ru": "ru_RU",
    "fa": "fa_IR",
}

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """An address outside the site's pages can use (feeds, previews, JSON-LD)."""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return site_url(current_jobcenter()) + path


def short_address(path: str) -> str:
    """An absolute address without the scheme, for people to read or type."""
    return absolute_url(path).split("://", 1)[-1]


def summary(event: Event, *, length: int = 200) -> str:
    """A short plain-text description: the motto, else the start of the text."""
    text = shown(event, "motto").text or strip_tags(shown(event, "description").text)
    return Truncator(" ".join(text.split())).chars(length)


def summary_line(event: Event) -> str:
    """Title, day and time, place: what the share card shows, as its text."""
    parts = [shown(event, "title").text]
    if event.start and event.end:
        parts.append(event_date_range(event.start, event.end))
    if event.location_id:
        parts.append(shown(event.location, "name").text)
    return ", ".join(parts)


def photo_url(event: Event) -> str:
    return absolute_url(event.photo.url) if event.photo else ""


def organizer() -> dict:
    """The Jobcenter whose host the page is served on."""
    jobcenter = current_jobcenter()
    return {
        "@type": "GovernmentOrganization",
        "name": jobcenter.name if jobcenter else settings.ORGANISATION_NAME,
        "url": site_url(jobcenter) + "/",
    }


def place(event: Event) -> dict:
    location = event.location
    data = {
        "@type": "Place",
        "name": location.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street,
            "postalCode": location.postcode,
            "addressLocality": location.city,
            "addressRegion": location.district.name,
            "addressCountry": "DE",
        },
    }
    if location.latitude is not None and location.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    return data


def event_data(event: Event) -> dict:
    """The schema.org Event for a public event (start, end and location set)."""
    data = {
        "@type": "Event",
        "@id": absolute_url(event.get_absolute_url()) + "#event",
        "name": event.title,
        "url": absolute_url(event.get_absolute_url()),
        "startDate": timezone.localtime(event.start).isoformat(),
        "endDate": timezone.localtime(event.end).isoformat(),
        "eventStatus": SCHEMA
        + ("/EventCancelled" if event.is_cancelled else "/EventScheduled"),
        "eventAttendanceMode": SCHEMA + "/OfflineEventAttendanceMode",
        "location": place(event),
        "organizer": organizer(),
        "isAccessibleForFree": True,
        "inLanguage": list(event.languages) or [get_language()],
        "description": summary(event, length=500),
    }
    if event.photo:
        data["image"] = [photo_url(event)]
    return data


def page_graph(*items: dict) -> dict:
    """One JSON-LD document holding every item of a page."""
    return {"@context": SCHEMA, "@graph": list(items)}


def json_ld_script(data: dict) -> SafeString:
    """<script type="application/ld+json">, escaped so no text can break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    text = text.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def article_data(review: Review) -> dict:
    """The schema.org Article for an event's published review, about the Event."""
    event_url = absolute_url(review.event.get_absolute_url())
    data = {
        "@type": "Article",
        "@id": event_url + "#review",
        "headline": Truncator(review.headline).chars(110),
        "description": review.lead,
        "url": event_url + "#review-heading",
        "datePublished": timezone.localtime(review.published_at).isoformat(),
        "dateModified": timezone.localtime(review.updated_at).isoformat(),
        # The language the headline is actually in (German if not translated).
        "inLanguage": shown(review, "headline").language,
        "author": organizer(),
        "publisher": organizer(),
        "about": {"@id": event_url + "#event"},
        "isAccessibleForFree": True,
    }
    photos = list(review.photos.all())
    if photos:
        data["image"] = [absolute_url(photo.image.url) for photo in photos]
    return data


def page_open_graph(
    *, title: str, description: str, path: str, kind: str = "website"
) -> list[tuple[str, str]]:
    """Open Graph properties of any page, as (property, content) pairs."""
    return [
        ("og:type", kind),
        ("og:site_name", settings.SITE_NAME),
        ("og:title", title),
        ("og:description", description),
        ("og:url", absolute_url(path)),
        ("og:locale", OG_LOCALES.get(get_language(), "de_DE")),
    ]


def open_graph(event: Event, review: Review | None = None) -> list[tuple[str, str]]:
    """Open Graph properties for an event's link preview; a review's photo first."""
    tags = page_open_graph(
        title=review.headline if review is not None else event.title,
        description=summary(event),
        path=event.get_absolute_url(),
        kind="article" if review is not None else "website",
    )
    photos = list(review.photos.all()) if review is not None else []
    if photos:
        # A review's photo shows the day itself: the better preview.
        photo = photos[0]
        tags.append(("og:image", absolute_url(photo.image.url)))
        if photo.width and photo.height:
            tags.append(("og:image:width", str(photo.width)))
            tags.append(("og:image:height", str(photo.height)))
        tags.append(("og:image:alt", photo.alt_text))
    elif event.photo:
        tags.append(("og:image", photo_url(event)))
        if event.photo_width and event.photo_height:
            tags.append(("og:image:width", str(event.photo_width)))
            tags.append(("og:image:height", str(event.photo_height)))
        if event.photo_alt:
            tags.append(("og:image:alt", event.photo_alt))
    else:
        # No photo: the event's share card (events/share_cards.py) in this language.
        card = reverse("events:share_card", kwargs={"slug": event.slug})
        tags.append(("og:image", absolute_url(card)))
        tags.append(("og:image:type", "image/png"))
        tags.append(("og:image:width", str(share_cards.WIDTH)))
        tags.append(("og:image:height", str(share_cards.HEIGHT)))
        tags.append(("og:image:alt", summary_line(event)))
    return tags
