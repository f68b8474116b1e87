"""The languages Django's own table does not name.

Leichte Sprache (easy-to-read German, BITV 2.0) is German with a private-use
subtag: `de-x-ls` in URLs and `lang` attributes, `de_X-ls` as the catalogue's
directory under locale/. A string its catalogue lacks falls back to German.

Also how a visitor's language is chosen (docs/languages.md): a first visit
to a German page follows the browser, the language menu's choice is kept in
Django's language cookie.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import (
    get_language_from_path,
    get_language_from_request,
    get_language_info,
    override,
)

from events.languages import LOCAL_SPELLINGS

EXTRA_LANG_INFO = {
    "de-x-ls": {
        "bidi": False,
        "code": "de-x-ls",
        "name": "Easy-to-read German",
        "name_local": "Leichte Sprache",
    },
}


# Public HTML pages a first visit follows the browser's language on. Never
# feeds, calendars, posters, staff pages or health checks: their address is
# what was asked for, whatever the browser prefers.
BROWSER_LANGUAGE_PAGES = frozenset(
    {"events:upcoming", "events:archive", "events:detail", "feedback:form"}
)


def autonym(code: str) -> str:
    """A site language's name in that language, as the language menu shows it."""
    if code in LOCAL_SPELLINGS:
        return LOCAL_SPELLINGS[code]
    name = get_language_info(code)["name_local"]
    # Only the first letter: "Leichte Sprache" keeps its capital S.
    return name[:1].upper() + name[1:]


def is_site_language(code: str) -> bool:
    return code in dict(settings.LANGUAGES)


def translated_url(url: str, code: str) -> str:
    """The same address in another site language (unchanged if it has none).

    translate_url reads the address in the active language, so it is read in
    the language its prefix names (German without one).
    """
    path = urlsplit(url).path
    with override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(url, code)


def choice_url(code: str, next_url: str) -> str:
    """The language menu's link: keep the choice, then show next_url in code."""
    return reverse("choose_language", args=[code]) + "?" + urlencode({"next": next_url})


def follows_browser_language(request) -> bool:
    """Whether this request is a first visit to a German public page.

    Safe methods only, a page named in BROWSER_LANGUAGE_PAGES, no language
    prefix and no language cookie: whoever chose a language, German included,
    keeps it.
    """
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and match is not None
        and match.view_name in BROWSER_LANGUAGE_PAGES
        and get_language_from_path(request.path_info) is None
        and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
    )


def browser_language_url(request) -> str | None:
    """Where a first visit goes when the browser prefers another site language."""
    if not follows_browser_language(request):
        return None
    # Without a cookie this is the best Accept-Language match, else German.
    preferred = get_language_from_request(request)
    if preferred == settings.LANGUAGE_CODE:
        return None
    here = request.get_full_path()
    target = translated_url(here, preferred)
    return target if target != here else None
