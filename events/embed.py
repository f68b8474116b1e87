"""``/einbetten/``: a short list of dates for partners' web pages.

A Quartiersmanagement, a school or an advice centre puts the coming dates on
its own site with an ``<iframe>``, filtered like the list (``bezirk``,
``angebot``, ``zielgruppe``, ``von``, ``bis``; ``plz`` puts the nearest first
and shows each distance), with ``anzahl`` dates (1–20,
default 5) in the language of the address (``/en/einbetten/``…). The page
stands alone (no header, menu or footer), needs no JavaScript, and is the
only one that other sites may frame: its Content-Security-Policy names
``EMBED_FRAME_ANCESTORS`` (default: any site) where every other page says
``frame-ancestors 'none'``, and it sends no X-Frame-Options. Links open the
date's page in a new window, so the partner's page stays where it was.
"""

from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from events.caching import public_cache
from events.calendar import absolute_url
from events.forms import EventFilterForm
from events.selectors import upcoming_events
from quartier.middleware import content_security_policy

DEFAULT_COUNT = 5
MAX_COUNT = 20
COUNT_PARAMETER = "anzahl"
QUERY = (*EventFilterForm.base_fields, COUNT_PARAMETER)
SNIPPET_HEIGHT = 480


def date_count(raw: str | None) -> int:
    """How many dates to show: ``anzahl`` if it is 1–20, else the default."""
    if raw is None or not raw.isdigit() or len(raw) > 3:
        return DEFAULT_COUNT
    return min(max(int(raw), 1), MAX_COUNT)


def frame_policy() -> str:
    """The site's policy, with the sites that may frame this page."""
    ancestors = settings.EMBED_FRAME_ANCESTORS or "'none'"
    return content_security_policy(settings.CSP_REPORT_URI).replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )


def filter_query(form: EventFilterForm) -> str:
    """The valid filters of a list as typed, for the embed's address."""
    data = getattr(form, "cleaned_data", {})
    return urlencode(
        [
            (name, form.data.get(name))
            for name in form.fields
            if data.get(name) and form.data.get(name)
        ]
    )


def snippet(form: EventFilterForm) -> str:
    """The HTML a partner copies: an iframe of the dates the list shows."""
    query = filter_query(form)
    parameters = f"{query}&" if query else ""
    address = absolute_url(reverse("events:embed")) + (
        f"?{parameters}{COUNT_PARAMETER}={DEFAULT_COUNT}"
    )
    title = _("Dates: %(site)s") % {"site": settings.SITE_NAME}
    return (
        f'<iframe src="{escape(address)}" title="{escape(title)}" '
        f'width="100%" height="{SNIPPET_HEIGHT}" loading="lazy"></iframe>'
    )


@xframe_options_exempt
@public_cache(query=QUERY)
@require_safe
def embed(request):
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    count = date_count(request.GET.get(COUNT_PARAMETER))
    events = list(upcoming_events(**form.filters())[:count])
    query = filter_query(form)
    more = reverse("events:upcoming") + (f"?{query}" if query else "")
    response = render(
        request,
        "events/embed.html",
        {"form": form, "events": events, "more_url": absolute_url(more)},
    )
    response["Content-Security-Policy"] = frame_policy()
    return response
