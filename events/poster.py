"""Printable A4 poster of an event, with QR codes made on the server."""

import segno
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from events.caching import public_cache
from events.calendar import absolute_url
from events.formatting import event_date_range
from events.languages import language_local_name, language_name
from events.models import Event, EventSlugRedirect

# Medium error correction survives a crease or a smudge on a printed poster.
QR_ERROR = "m"


def qr_svg(url: str, *, title: str) -> SafeString:
    """The QR code for url as inline SVG, sized by CSS (no width or height)."""
    svg = segno.make(url, error=QR_ERROR).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr-code", title=title
    )
    # segno escapes the title; role="img" lets screen readers announce it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def short_display(url: str) -> str:
    """An address as printed for typing: without the scheme."""
    return url.split("://", 1)[-1]


def poster_context(event: Event) -> dict:
    """What the poster shows: prepared text, addresses and QR codes."""
    page_url = absolute_url(event.get_absolute_url())
    feedback_url = absolute_url(
        reverse("feedback:form", kwargs={"code": event.short_code})
    )
    return {
        "event": event,
        "date_line": event_date_range(event.start, event.end),
        "services": list(event.services.all()),
        "target_groups": list(event.target_groups.all()),
        "languages": [
            {
                "code": code,
                "name": language_name(code),
                "local": language_local_name(code),
            }
            for code in event.languages
        ],
        "page_url": page_url,
        "page_url_display": short_display(page_url),
        "page_qr": qr_svg(page_url, title=short_display(page_url)),
        "feedback_url": feedback_url,
        "feedback_url_display": short_display(feedback_url),
        "feedback_qr": qr_svg(feedback_url, title=short_display(feedback_url)),
    }


@public_cache
@require_safe
def poster(request, slug):
    visible = Event.objects.visible_to(request.user)
    event = (
        visible.filter(
            slug=slug,
            location__isnull=False,
            start__isnull=False,
            end__isnull=False,
        )
        .select_related("location__district")
        .with_texts()
        .prefetch_related("target_groups")
        .first()
    )
    if event is None:
        old = get_object_or_404(
            EventSlugRedirect.objects.filter(event__in=visible), old_slug=slug
        )
        return redirect("events:poster", slug=old.event.slug, permanent=True)
    return render(request, "events/poster.html", poster_context(event))
