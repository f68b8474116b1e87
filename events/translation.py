"""Which language a translated text is shown in, so a page can say so.

German is the source of every text; a translation may be missing, empty or
drafted by a machine. ``shown()`` picks the text for the active language and
says what it is, reading the translation rows the page has prefetched
(``with_texts()``), so marking a fallback costs no query.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from events.models.base import SOURCE_LANGUAGE
from events.richtext import render as render_rich_text


@dataclass(frozen=True)
class Shown:
    """A translated text as shown on a page in one language."""

    text: str
    language: str  # the language the text is written in
    fallback: bool  # in the source language because the translation is missing
    machine: bool  # drafted by machine translation, not yet checked by a person

    def __str__(self) -> str:
        return self.text


def _rows(obj) -> dict:
    """The object's translation rows by language (prefetched: no query)."""
    meta = obj._parler_meta.root
    return {row.language_code: row for row in getattr(obj, meta.rel_name).all()}


def shown(obj, field: str, language: str | None = None) -> Shown:
    """The text of ``field`` for ``language`` (the active one), never empty if any
    language has it: the translation, else German, else any other language."""
    language = language or get_language() or SOURCE_LANGUAGE
    rows = _rows(obj)
    row = rows.get(language)
    text = getattr(row, field, "") if row is not None else ""
    if text:
        machine = language != SOURCE_LANGUAGE and bool(row.machine_translated)
        return Shown(text, language, fallback=False, machine=machine)
    order = [SOURCE_LANGUAGE, *sorted(code for code in rows if code != language)]
    for code in order:
        other = rows.get(code)
        text = getattr(other, field, "") if other is not None else ""
        if text:
            machine = code != SOURCE_LANGUAGE and bool(other.machine_translated)
            return Shown(text, code, fallback=True, machine=machine)
    return Shown("", language, fallback=False, machine=False)


# Leichte Sprache (BCP 47 private use tag): its pages have their own templates.
EASY_READ = "de-x-ls"


def page_template(name: str) -> str:
    """The Leichte Sprache version of a page template when that language is active.

    "events/detail.html" becomes "events/easy/detail.html" for de-x-ls.
    """
    if get_language() != EASY_READ:
        return name
    folder, _slash, file = name.rpartition("/")
    return f"{folder}/easy/{file}"


def direction(language: str) -> str:
    """ "rtl" or "ltr" for a language code (as Django's get_language_bidi)."""
    return "rtl" if language.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


# Each formatter returns safe HTML: it escapes the text itself.
FORMATS = {
    "plain": (conditional_escape, "span"),
    "linebreaksbr": (lambda text: linebreaksbr(text, autoescape=True), "span"),
    "linebreaks": (lambda text: mark_safe(linebreaks(text, autoescape=True)), "div"),
    "rich": (render_rich_text, "div"),
}


def machine_note() -> SafeString:
    return format_html(
        ' <span class="translation-mark">({})</span>', gettext("machine-translated")
    )


def render_shown(text: Shown, kind: str = "plain") -> SafeString:
    """The text as HTML, in a lang/dir wrapper if it is a fallback."""
    if not text.text:
        return mark_safe("")
    formatter, element = FORMATS[kind]
    html = formatter(text.text)
    if text.fallback:
        html = format_html(
            '<{0} lang="{1}" dir="{2}">{3}</{0}>',
            element,
            text.language,
            direction(text.language),
            html,
        )
    else:
        html = format_html("{}", html)
    if text.machine:
        html += machine_note()
    return html
