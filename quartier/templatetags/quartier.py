from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

from jobcenters.hosts import current_jobcenter, site_url
from quartier.languages import autonym

register = template.Library()

# Icons that point along the reading direction: mirrored on right-to-left pages.
DIRECTIONAL_ICONS = frozenset({"arrow-back", "arrow-forward"})


@lru_cache(maxsize=4096)
def _translated_path(active: str, path: str, code: str) -> str:
    """translate_url of a path without query, read in the active language.

    The URLconf does not change while the process runs, so each answer is
    kept (bounded): a page's head and its language menu ask for all languages.
    """
    with override(active):
        return translate_url(path, code)


@lru_cache(maxsize=64)
def _choice_base(active: str, code: str) -> str:
    with override(active):
        return reverse("choose_language", args=[code])


def _links(request, current: str) -> list[dict]:
    full_path = request.get_full_path() if request else "/"
    path, mark, query = full_path.partition("?")
    base = site_url(getattr(request, "jobcenter", None) or current_jobcenter())
    active = get_language()
    keep = "?" + urlencode({"next": full_path})
    links = []
    for code, _name in settings.LANGUAGES:
        url = _translated_path(active, path, code) + mark + query
        links.append(
            {
                "code": code,
                "name": autonym(code),
                # Shown on a phone: "TR", "AR"; Leichte Sprache's private-use subtag "LS".
                "short": code.partition("-x-")[2] or code,
                "url": url,
                "choice_url": _choice_base(active, code) + keep,
                # hreflang alternates must be absolute (search engines, Lighthouse SEO).
                "absolute_url": base + url,
                "current": code == current,
                # German, the address without a prefix, is the x-default alternate.
                "default": code == settings.LANGUAGE_CODE,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every site language.

    Each with its code, its own name, its address (``url``, absolute in
    ``absolute_url``), the language menu's link that keeps the choice
    (``choice_url``), whether it is the current one and whether it is the
    site's default (German). Worked out once per request: the page's head
    and its language menu both show them.
    """
    request = context.get("request")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    if request is None:
        return _links(None, current)
    kept = getattr(request, "_language_links", None)
    if kept is None or kept[0] != (current, get_language()):
        kept = ((current, get_language()), _links(request, current))
        request._language_links = kept
    return kept[1]


@register.simple_tag
def alternate_links(links) -> SafeString:
    """The head's hreflang alternates of language_links, and the x-default one.

    Written here, not by a template loop: the head shows them on every page.
    """
    html = [
        format_html(
            '<link rel="alternate" hreflang="{}" href="{}">\n  ',
            link["code"],
            link["absolute_url"],
        )
        for link in links
    ]
    html.append("\n  ")
    html.extend(
        format_html(
            '<link rel="alternate" hreflang="x-default" href="{}">',
            link["absolute_url"],
        )
        for link in links
        if link["default"]
    )
    return mark_safe("".join(html))


@register.simple_tag
def language_menu_items(links) -> SafeString:
    """The language menu's entries (templates/includes/language_switcher.html)."""
    return mark_safe(
        "".join(
            format_html(
                '\n      <li><a href="{}" hreflang="{}" lang="{}" dir="auto"{}>{}</a></li>'
                "\n    ",
                link["choice_url"],
                link["code"],
                link["code"],
                mark_safe(' aria-current="true"') if link["current"] else "",
                link["name"],
            )
            for link in links
        )
    )


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """One of the drawn icons (static/img/icons.svg), hidden from screen readers.

    An icon is decoration: the text beside it always says the same.
    """
    if name in DIRECTIONAL_ICONS:
        css = f"{css} icon--mirror-rtl".strip()
    return _icon_html(name, css)


@lru_cache(maxsize=256)
def _icon_html(name: str, css: str) -> SafeString:
    # A handful of icons, drawn many times a page; static names are fixed
    # while the process runs (cleared when tests change the settings).
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false">'
        '<use href="{}"></use></svg>',
        f" {css}" if css else "",
        static("img/icons.svg") + "#" + name,
    )


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "ROOT_URLCONF", "LANGUAGES"):
        _icon_html.cache_clear()
        _translated_path.cache_clear()
        _choice_base.cache_clear()
