"""iCalendar (RFC 5545) files for one event and for subscribable feeds.

Pure functions: a queryset goes in, bytes come out. Everything in the output
is derived from the rows (DTSTAMP is the event's last change, not the time of
the request), so the same data gives the same bytes and calendar apps can
revalidate with an ETag and get a 304.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vDuration
from icalendar import Event as VEvent

from events.languages import language_name
from events.models import Event
from events.models.events import text_lookups
from events.pieces import stored_pieces
from events.translation import shown
from jobcenters.hosts import current_jobcenter, is_first, site_url

PRODID = "-//Jobcenter im Quartier//Quartier//DE"
# Feeds show what is coming and what just happened; older events drop out so
# a subscription stays small.
RECENT_PAST = timedelta(days=90)
# Caps: the latest of the recent past, the nearest of the upcoming events;
# later ones appear as time moves on.
MAX_RECENT_EVENTS = 100
MAX_UPCOMING_EVENTS = 300
REFRESH_INTERVAL = timedelta(hours=1)
END_CALENDAR = b"END:VCALENDAR\r\n"


def absolute_url(path: str, jobcenter=None) -> str:
    """An address as printed and subscribed to: the Jobcenter's address plus the path.

    The Jobcenter is the active scope's (a request's: its host) unless named;
    the first Jobcenter's address is SITE_URL (jobcenters.hosts.site_url).
    """
    return site_url(jobcenter or current_jobcenter()) + path


def uid_domain(jobcenter=None) -> str:
    """The domain of calendar UIDs and feed ids: the Jobcenter's primary host.

    The installation's first Jobcenter keeps the host of SITE_URL, or
    CALENDAR_UID_DOMAIN, which keeps its UIDs after a move to a new address.
    """
    jobcenter = jobcenter or current_jobcenter()
    if jobcenter is None or is_first(jobcenter):
        return (
            settings.CALENDAR_UID_DOMAIN
            or urlsplit(settings.SITE_URL).hostname
            or "quartier"
        )
    return urlsplit(site_url(jobcenter)).hostname or "quartier"


def event_uid(event: Event, domain: str | None = None) -> str:
    """Stable for the event's lifetime: built from the primary key only."""
    return f"event-{event.pk}@{domain or uid_domain()}"


class FeedEntry(NamedTuple):
    """What a feed needs of an event whose VEVENT may be stored already."""

    pk: int
    updated_at: datetime
    start: datetime
    end: datetime


def feed_events(events: QuerySet[Event], *, now=None) -> list[FeedEntry]:
    """Public events of a feed, in order: the recent past, then what is coming.

    Two capped queries, so a long past never crowds out the upcoming dates.
    Only the columns that find a stored VEVENT are read: build_calendar()
    loads the rows, texts and services of the events whose VEVENT is missing.
    """
    now = now or timezone.now()
    public = events.public().values_list("pk", "updated_at", "start", "end")
    recent = public.filter(end__gte=now - RECENT_PAST, end__lt=now).order_by(
        "-start", "-pk"
    )[:MAX_RECENT_EVENTS]
    upcoming = public.filter(end__gte=now).order_by("start", "pk")[:MAX_UPCOMING_EVENTS]
    return [FeedEntry(*row) for row in [*reversed(recent), *upcoming]]


class _Texts:
    """What every event of one calendar shares, translated and reversed once."""

    def __init__(self):
        self.cancelled = _("This event has been cancelled.")
        self.cancelled_title = _("Cancelled: %(title)s")
        self.offered = _("Offered: %(services)s")
        self.languages = _("Languages spoken: %(languages)s")
        self.free = _("No appointment needed, free of charge.")
        self.language = get_language()
        self.uid_domain = uid_domain()
        # Slugs are plain [-a-z0-9_], so the placeholder is safe to replace.
        self._page = absolute_url(reverse("events:detail", kwargs={"slug": "__slug__"}))
        self._language_names = {}

    def page_url(self, event: Event) -> str:
        return self._page.replace("__slug__", event.slug)

    def language_names(self, codes: list[str]) -> str:
        names = self._language_names
        for code in codes:
            if code not in names:
                names[code] = language_name(code)
        return ", ".join(names[code] for code in codes)


def _description(event: Event, url: str, texts: _Texts) -> str:
    parts = []
    if event.is_cancelled:
        parts.append(texts.cancelled)
    # Never empty where German has a text: a missing translation shows German.
    motto, description = shown(event, "motto").text, shown(event, "description").text
    if motto:
        parts.append(f"„{motto}“")
    if description:
        parts.append(description)
    services = [service.title for service in event.services.all()]
    if services:
        parts.append(texts.offered % {"services": ", ".join(services)})
    if event.languages:
        parts.append(
            texts.languages % {"languages": texts.language_names(event.languages)}
        )
    parts.append(texts.free)
    parts.append(url)
    return "\n\n".join(parts)


def event_component(event: Event, texts: _Texts | None = None) -> VEvent:
    """One VEVENT; the event must have a location, a start and an end."""
    texts = texts or _Texts()
    url = texts.page_url(event)
    title = shown(event, "title")
    summary = title.text
    if event.is_cancelled:
        summary = texts.cancelled_title % {"title": title.text}
    location = event.location
    component = VEvent()
    component.add("uid", event_uid(event, texts.uid_domain))
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("dtstart", timezone.localtime(event.start))
    component.add("dtend", timezone.localtime(event.end))
    # The calendar's language; a title not yet translated says it is German.
    component.add("summary", summary, parameters={"LANGUAGE": title.language})
    component.add(
        "description",
        _description(event, url, texts),
        parameters={"LANGUAGE": texts.language},
    )
    component.add("location", f"{location.name}, {location.address_line}")
    if location.latitude is not None and location.longitude is not None:
        component.add("geo", (float(location.latitude), float(location.longitude)))
    component.add("url", url)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("transp", "TRANSPARENT" if event.is_cancelled else "OPAQUE")
    return component


def _load(missing: list[Event | FeedEntry]) -> list[Event]:
    """Events with their place, texts and services: one query for all entries."""
    pks = [entry.pk for entry in missing if not isinstance(entry, Event)]
    loaded = {}
    if pks:
        rows = Event.objects.public().select_related("location").filter(pk__in=pks)
        loaded = {event.pk: event for event in rows}
    # An entry unpublished since the feed was read is left out.
    events = [
        entry if isinstance(entry, Event) else loaded[entry.pk]
        for entry in missing
        if isinstance(entry, Event) or entry.pk in loaded
    ]
    prefetch_related_objects(events, *text_lookups())
    return events


def event_pieces(
    events: list[Event | FeedEntry], version: int | None = None
) -> list[bytes]:
    """The serialised VEVENT of each event, from the cache where stored.

    Stored pieces (``events.pieces``): only the missing VEVENTs are built,
    after loading their rows, texts and services (Event instances given are
    used as they are). ``version`` is the generation read before the rows.
    """

    def build(missing: list[Event | FeedEntry]) -> dict[int, bytes]:
        texts = _Texts()
        return {
            event.pk: event_component(event, texts).to_ical()
            for event in _load(missing)
        }

    return stored_pieces(events, "ics-vevent", build, version=version)


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of the years the events fall in, not decades of them."""
    try:
        component = Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
        )
    except ValueError:  # not known to icalendar: calendar apps use the TZID
        return b""
    return component.to_ical()


def build_calendar(
    events: Iterable[Event | FeedEntry],
    *,
    name: str = "",
    subscription: bool = False,
    version: int | None = None,
) -> bytes:
    """A whole VCALENDAR with its VTIMEZONE, as bytes (CRLF, folded).

    The head (properties and time zone) is written by icalendar once per call;
    the VEVENTs are icalendar's bytes too, mostly from the cache, joined in
    between. Every piece ends in CRLF and is folded on its own, so the joined
    file is exactly what icalendar writes for the whole calendar. ``version``:
    see event_pieces().
    """
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if subscription:
        calendar.add("refresh-interval", REFRESH_INTERVAL, {"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    parts = [calendar.to_ical().removesuffix(END_CALENDAR)]
    if events:
        # The earliest instant is also the earliest local date: two conversions.
        first = timezone.localdate(min(event.start for event in events))
        last = timezone.localdate(max(event.end for event in events))
        tzid = timezone.get_current_timezone_name()
        parts.append(_vtimezone(tzid, first.year, last.year))
    parts.extend(event_pieces(events, version))
    parts.append(END_CALENDAR)
    return b"".join(parts)
