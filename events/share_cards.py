"""Share cards: the preview picture messengers and social sites show for a date.

An event without a photo still gets a picture in a link preview (``og:image``):
a card of 1200 × 630 pixels, drawn with Pillow, with the programme's mark and
the Jobcenter's name on its colour, the event's title, day and time, and
place, in the page's language. Fonts ship with the code (``events/fonts``), so
every server draws the same card. Right-to-left languages are laid out from
the right (with Pillow's Raqm layout, where the system has FriBiDi).

A card is a stored piece (``events/pieces.py``): drawn once per event,
version and language, then read from the shared cache.
"""

import io
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, get_language_bidi
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont, features

from events.caching import generation, public_cache
from events.formatting import event_date_range
from events.models import Event, EventSlugRedirect
from events.pieces import stored_pieces
from events.translation import shown
from jobcenters.hosts import current_jobcenter, site_url

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BAND = 150  # the coloured band at the top
INK = "#1b1b1b"
MUTED = "#3d3d3d"
ACCENT = "#ffbf47"  # the mark's yellow line
MARK_DARK = "#26323f"
FONTS = Path(__file__).resolve().parent / "fonts"
TITLE_LINES = 3
PLACE_LINES = 2


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    layout = (
        ImageFont.Layout.RAQM
        if features.check_feature("raqm")
        else ImageFont.Layout.BASIC
    )
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=layout)


def _draw_mark(draw: ImageDraw.ImageDraw, left: int, top: int, size: int) -> None:
    """The programme's mark (static/img/quartier-mark.svg), drawn at ``size``."""
    scale = size / 48

    def box(x0, y0, x1, y1):
        return [
            left + x0 * scale,
            top + y0 * scale,
            left + x1 * scale,
            top + y1 * scale,
        ]

    def shape(points):
        return [(left + x * scale, top + y * scale) for x, y in points]

    draw.rounded_rectangle(box(0, 0, 48, 48), radius=10 * scale, fill=MARK_DARK)
    for points in (
        [(7, 33), (7, 22), (14, 16), (21, 22), (21, 33)],
        [(21, 33), (21, 18), (29, 11), (37, 18), (37, 33)],
        [(35, 33), (35, 24), (41, 19), (41, 33)],
    ):
        draw.polygon(shape(points), fill="#ffffff")
    draw.rectangle(box(12, 27, 16, 33), fill=MARK_DARK)
    draw.rectangle(box(27, 25, 31, 33), fill=MARK_DARK)
    draw.rounded_rectangle(box(7, 35, 41, 39), radius=scale, fill=ACCENT)


def _wrap(text: str, font, width: int, lines: int, draw) -> list[str]:
    """Words on at most ``lines`` lines of ``width``; an ellipsis if cut."""
    words = text.split()
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not current:
            current = candidate
            continue
        result.append(current)
        current = word
        if len(result) == lines:
            break
    if current and len(result) < lines:
        result.append(current)
    cut = len(result) == lines and " ".join(result) != " ".join(words)
    if cut:
        last = result[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        result[-1] = last + " …"
    return result


def _fit(text: str, font, width: int, draw) -> str:
    """One line, shortened with an ellipsis if too long."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def draw_card(event: Event) -> bytes:
    """The PNG of an event's card in the active language."""
    jobcenter = current_jobcenter()
    colour = getattr(jobcenter, "brand_color", "") or settings.BRAND_COLOR
    name = jobcenter.name if jobcenter is not None else settings.ORGANISATION_NAME
    host = urlsplit(site_url(jobcenter)).netloc
    rtl = get_language_bidi()
    direction = {"direction": "rtl", "language": get_language()} if rtl else {}

    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, BAND], fill=colour)
    mark = 96
    text_width = WIDTH - 2 * MARGIN

    def line(y: int, text: str, font, fill: str, width: int = text_width, x=MARGIN):
        if rtl:
            draw.text(
                (x + width, y), text, font=font, fill=fill, anchor="ra", **direction
            )
        else:
            draw.text((x, y), text, font=font, fill=fill, anchor="la")

    band_font = _font(40, bold=True)
    mark_left = WIDTH - MARGIN - mark if rtl else MARGIN
    _draw_mark(draw, mark_left, (BAND - mark) // 2, mark)
    band_x = MARGIN if rtl else MARGIN + mark + 32
    band_width = text_width - mark - 32
    line(
        (BAND - 48) // 2,
        _fit(name, band_font, band_width, draw),
        band_font,
        "#ffffff",
        band_width,
        band_x,
    )

    title_font = _font(56, bold=True)
    y = BAND + 48
    for text in _wrap(
        str(shown(event, "title")), title_font, text_width, TITLE_LINES, draw
    ):
        line(y, text, title_font, INK)
        y += 68
    y += 18
    when_font = _font(38, bold=True)
    line(
        y,
        _fit(event_date_range(event.start, event.end), when_font, text_width, draw),
        when_font,
        MUTED,
    )
    y += 56
    place = f"{shown(event.location, 'name')}, {event.location.address_line}"
    place_font = _font(34)
    for text in _wrap(place, place_font, text_width, PLACE_LINES, draw):
        line(y, text, place_font, MUTED)
        y += 46

    draw.rectangle([0, HEIGHT - 16, WIDTH, HEIGHT], fill=ACCENT)
    footer = _font(28)
    line(HEIGHT - 58, host, footer, MUTED)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def share_card(event: Event, version: int | None = None) -> bytes | None:
    """The event's card, from the cache where stored (one per version and language).

    ``event`` needs only its id and ``updated_at``; its texts and place are
    loaded only when the card has to be drawn. None: no longer public.
    """

    def build(missing: list[Event]) -> dict[int, bytes]:
        rows = (
            Event.objects.public()
            .select_related("location")
            .with_texts()
            .filter(pk__in=[entry.pk for entry in missing])
        )
        return {row.pk: draw_card(row) for row in rows}

    cards = stored_pieces([event], "share-card", build, version=version)
    return cards[0] if cards else None


@public_cache
@require_safe
def card(request, slug: str):
    """``/veranstaltungen/<slug>/vorschau.png``: the card in the address's language."""
    version = generation()  # before the rows: see stored_pieces()
    event = Event.objects.public().only("pk", "updated_at").filter(slug=slug).first()
    if event is None:
        old = get_object_or_404(
            EventSlugRedirect.objects.filter(event__in=Event.objects.public()),
            old_slug=slug,
        )
        return redirect("events:share_card", slug=old.event.slug, permanent=True)
    png = share_card(event, version)
    if png is None:
        raise Http404("No such event")
    return HttpResponse(png, content_type="image/png")
