"""The operator's look: brand colour, logo and the contrast rules they must meet.

Each Jobcenter sets its own colour and logo in the admin (BRAND_COLOR and
SITE_LOGO are the installation's defaults); the
colour reaches the pages as a small stylesheet (/marke.css), since the
Content-Security-Policy forbids inline styles.
"""

import re
from hashlib import sha256

from django.conf import settings
from django.templatetags.static import static

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
# The lightest grey the site puts links on (the footer); links use a darker
# shade of the brand colour when the colour itself is too light for it.
LIGHT_SURFACE = "#f4f4f4"
# WCAG 2.1 1.4.3: normal text needs at least 4.5:1.
MIN_CONTRAST = 4.5


def is_hex_color(value: str) -> bool:
    return bool(HEX_COLOR.match(value or ""))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """Relative luminance of a #rrggbb colour (WCAG 2.1 definition)."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shade(color: str, amount: float) -> str:
    """The colour mixed with black: amount 0 keeps it, 1 gives black."""
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in channels)


def readable_on(color: str, background: str) -> str:
    """The colour, darkened in small steps until text in it reads on background."""
    amount = 0.0
    candidate = color.lower()
    while contrast_ratio(candidate, background) < MIN_CONTRAST and amount < 1:
        amount = min(1.0, amount + 0.05)
        candidate = shade(color, amount)
    return candidate


def brand_palette(color: str | None = None) -> dict[str, str]:
    """The custom properties the stylesheets use, derived from one colour."""
    color = (color or settings.BRAND_COLOR).lower()
    return {
        "--q-accent": color,
        "--q-accent-dark": shade(color, 0.3),
        "--q-link": readable_on(color, LIGHT_SURFACE),
    }


def brand_css(color: str | None = None) -> str:
    """The stylesheet served at /marke.css."""
    lines = [f"  {name}: {value};" for name, value in brand_palette(color).items()]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def brand_color(jobcenter=None) -> str:
    """The Jobcenter's colour; BRAND_COLOR where a page belongs to none."""
    return jobcenter.brand_color if jobcenter else settings.BRAND_COLOR


def brand_version(jobcenter=None) -> str:
    """Changes with the colour, so browsers fetch a new /marke.css at once."""
    return sha256(brand_color(jobcenter).lower().encode()).hexdigest()[:10]


def logo_url(jobcenter=None) -> str:
    """The Jobcenter's uploaded logo, else SITE_LOGO (a path or a static file)."""
    if jobcenter and jobcenter.logo:
        return jobcenter.logo.url
    logo = settings.SITE_LOGO
    if logo.startswith("/"):
        return logo
    return static(logo)
