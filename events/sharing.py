"""Passing a date on: share links, the route, and the calendars it belongs to.

Plain addresses only: no messenger's script or button is loaded, nothing is
sent anywhere until the visitor follows a link. Signal offers no address to
share a link through; the copyable field (and, with JavaScript, the phone's
own share sheet) covers it and every other app.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from events.calendar import absolute_url
from events.models import Event
from events.translation import shown


@dataclass(frozen=True)
class Sharing:
    """What the event page's "tell others" block shows."""

    url: str
    title: str
    links: list["Link"]
    calendars: list["Link"]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    # The icon in static/img/icons.svg, if any.
    icon: str = ""


def share_links(event: Event) -> list[Link]:
    """E-mail, WhatsApp and Telegram links carrying the page's address."""
    url = absolute_url(event.get_absolute_url())
    title = str(shown(event, "title"))
    text = f"{title}\n{url}"
    return [
        Link(
            _("E-mail"),
            "mailto:?" + urlencode({"subject": title, "body": text}, quote_via=quote),
        ),
        Link(
            "WhatsApp", "https://wa.me/?" + urlencode({"text": text}, quote_via=quote)
        ),
        Link(
            "Telegram",
            "https://t.me/share/url?"
            + urlencode({"url": url, "text": title}, quote_via=quote),
        ),
    ]


def calendar_links(event: Event) -> list[Link]:
    """The subscribable calendars this date appears in: its district's, its offers'."""
    links = []
    district = event.location.district if event.location_id else None
    if district is not None:
        links.append(
            Link(
                _("All dates in %(district)s") % {"district": district.name},
                reverse("events:calendar_district", args=[district.slug]),
            )
        )
    seen = set()
    for service in event.services.all():
        if service.category in seen:
            continue
        seen.add(service.category)
        links.append(
            Link(
                _("All dates with: %(offer)s")
                % {"offer": service.get_category_display()},
                reverse("events:calendar_category", args=[service.category]),
            )
        )
    return links


def sharing(event: Event) -> Sharing:
    """The event's address, title, share links and calendars, for its page."""
    return Sharing(
        url=absolute_url(event.get_absolute_url()),
        title=str(shown(event, "title")),
        links=share_links(event),
        calendars=calendar_links(event),
    )
