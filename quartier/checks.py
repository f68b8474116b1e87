"""System checks for the operator's settings that no form would catch."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, register

from quartier.brand import MIN_CONTRAST, WHITE, contrast_ratio, is_hex_color


@register()
def check_brand(app_configs, **kwargs) -> list[Error]:
    """BRAND_COLOR is #rrggbb and reads against white; SITE_LOGO stays on this site."""
    errors = []
    color = settings.BRAND_COLOR
    if not is_hex_color(color):
        errors.append(
            Error(
                f"BRAND_COLOR must be a colour written as #rrggbb, not {color!r}.",
                hint="For example BRAND_COLOR=#0b5394.",
                id="quartier.E001",
            )
        )
    else:
        ratio = contrast_ratio(color, WHITE)
        if ratio < MIN_CONTRAST:
            errors.append(
                Error(
                    f"BRAND_COLOR {color} has a contrast of {ratio:.2f}:1 with "
                    f"white; white text on it and links in it on white need at "
                    f"least {MIN_CONTRAST}:1 (WCAG 2.1, 1.4.3).",
                    hint="Choose a darker shade of the colour.",
                    id="quartier.E002",
                )
            )
    logo = settings.SITE_LOGO
    if "://" in logo or logo.startswith("//"):
        errors.append(
            Error(
                f"SITE_LOGO must be a static file or a path on this site, not {logo!r}.",
                hint=(
                    "Pages request nothing from other hosts (privacy, and the "
                    "Content-Security-Policy would block it): put the file in "
                    "static/ or under MEDIA_ROOT and give its path."
                ),
                id="quartier.E003",
            )
        )
    elif not logo.startswith("/") and not finders.find(logo):
        # With hashed static names a missing file breaks every page.
        errors.append(
            Error(
                f"SITE_LOGO {logo!r} is not a static file.",
                hint=(
                    "Put the file under static/ (e.g. static/img/logo.svg and "
                    "SITE_LOGO=img/logo.svg), or give a path on this site "
                    "starting with /."
                ),
                id="quartier.E004",
            )
        )
    return errors
