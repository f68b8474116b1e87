from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import format_html

from jobcenters.hosts import current_jobcenter, site_url
from quartier.languages import autonym, choice_url

register = template.Library()

# Icons that point along the reading direction: mirrored on right-to-left pages.
DIRECTIONAL_ICONS = frozenset({"arrow-back", "arrow-forward"})


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every site language.

    Each with its code, its own name, its address (``url``, absolute in
    ``absolute_url``), the language menu's link that keeps the choice
    (``choice_url``), whether it is the current one and whether it is the
    site's default (German).
    """
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    base = site_url(getattr(request, "jobcenter", None) or current_jobcenter())
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append(
            {
                "code": code,
                "name": autonym(code),
                # Shown on a phone: "TR", "AR"; Leichte Sprache's private-use subtag "LS".
                "short": code.partition("-x-")[2] or code,
                "url": url,
                "choice_url": choice_url(code, path),
                # hreflang alternates must be absolute (search engines, Lighthouse SEO).
                "absolute_url": base + url,
                "current": code == current,
                # German, the address without a prefix, is the x-default alternate.
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return links


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """One of the drawn icons (static/img/icons.svg), hidden from screen readers.

    An icon is decoration: the text beside it always says the same.
    """
    if name in DIRECTIONAL_ICONS:
        css = f"{css} icon--mirror-rtl".strip()
    href = static("img/icons.svg") + "#" + name
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false">'
        '<use href="{}"></use></svg>',
        f" {css}" if css else "",
        href,
    )
