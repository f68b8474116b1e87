"""Printable A4 poster of an event, with QR codes made on the server."""

from functools import lru_cache

import segno
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.caching import public_cache
from events.calendar import absolute_url
from events.formatting import event_date_range
from events.languages import language_local_name, language_name
from events.models import Event, EventSlugRedirect
from events.translation import direction

# ?zweite=<code>: a second language printed beside the page's own.
SECOND_LANGUAGE_PARAMETER = "zweite"

# Medium error correction survives a crease or a smudge on a printed poster.
QR_ERROR = "m"


@lru_cache(maxsize=1024)
def qr_svg(url: str, *, title: str) -> SafeString:
    """The QR code for url as inline SVG, sized by CSS (no width or height).

    Kept per process: drawing a code costs several milliseconds (segno's mask
    scoring) and an address's code never changes.
    """
    svg = segno.make(url, error=QR_ERROR).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr-code", title=title
    )
    # segno escapes the title; role="img" lets screen readers announce it.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def short_display(url: str) -> str:
    """An address as printed for typing: without the scheme."""
    return url.split("://", 1)[-1]


def second_languages(first: str) -> list[str]:
    """Languages a poster in ``first`` can carry as its second column."""
    return [code for code, _name in settings.LANGUAGES if code != first]


def poster_column(event: Event, language: str) -> dict:
    """One language's texts of the poster, rendered in that language."""
    with translation.override(language):
        context = {
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
            "suffix": f"-{language}",
        }
        return {
            "code": language,
            "dir": direction(language),
            "html": render_to_string("events/includes/poster_column.html", context),
            "all_details": _("All details"),
            "your_opinion": _("Your opinion"),
            "feedback_note": _("Anonymous feedback, from the start of the event"),
        }


def poster_context(event: Event, second: str = "") -> dict:
    """What the poster shows: prepared text, addresses and QR codes."""
    page_url = absolute_url(event.get_absolute_url())
    feedback_url = absolute_url(
        reverse("feedback:form", kwargs={"code": event.short_code})
    )
    first = get_language()
    languages = [first, second] if second else [first]
    return {
        "event": event,
        "columns": [poster_column(event, code) for code in languages],
        "second": second,
        "second_choices": [
            {"code": code, "local": language_local_name(code)}
            for code in second_languages(first)
        ],
        "page_url": page_url,
        "page_url_display": short_display(page_url),
        "page_qr": qr_svg(page_url, title=short_display(page_url)),
        "feedback_url": feedback_url,
        "feedback_url_display": short_display(feedback_url),
        "feedback_qr": qr_svg(feedback_url, title=short_display(feedback_url)),
    }


@public_cache(query=(SECOND_LANGUAGE_PARAMETER,))
@require_safe
def poster(request, slug):
    second = request.GET.get(SECOND_LANGUAGE_PARAMETER, "")
    if second and second not in second_languages(get_language()):
        # A mistyped code: say so, rather than print a poster that lacks it.
        return HttpResponseBadRequest(
            _("The poster cannot add this language."),
            content_type="text/plain; charset=utf-8",
        )
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
    return render(request, "events/poster.html", poster_context(event, second))
