"""Languages that can be spoken at a stand or printed on material.

Codes follow ISO 639 as Django knows them, so names come translated from
Django's own catalogues and in the language's own script (``name_local``),
which is what a visitor who reads no German looks for.
"""

from django.utils.translation import get_language_info, gettext, gettext_noop

STAND_LANGUAGE_CODES = [
    "de",
    "en",
    "tr",
    "ar",
    "ru",
    "uk",
    "pl",
    "ro",
    "bg",
    "hr",
    "sr",
    "sq",
    "el",
    "it",
    "fr",
    "es",
    "fa",
    "ckb",
    "ku",
    "ti",
    "so",
    "ps",
]

# Languages Django has no information about: (English name, own name).
_EXTRA = {
    "ku": (gettext_noop("Kurdish (Kurmanji)"), "Kurmancî"),
    "ti": (gettext_noop("Tigrinya"), "ትግርኛ"),
    "so": (gettext_noop("Somali"), "Soomaali"),
    "ps": (gettext_noop("Pashto"), "پښتو"),
}

# Own names spelled otherwise than in Django's table: Arabic as its readers write
# it in menus and lists, without the shadda (Django: العربيّة).
LOCAL_SPELLINGS = {"ar": "العربية"}


def language_name(code: str) -> str:
    """The language's name in the active language, e.g. "Türkisch"."""
    if code in _EXTRA:
        return gettext(_EXTRA[code][0])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_local_name(code: str) -> str:
    """The language's own name, e.g. "Türkçe"."""
    if code in LOCAL_SPELLINGS:
        return LOCAL_SPELLINGS[code]
    if code in _EXTRA:
        return _EXTRA[code][1]
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    """Choices for forms: the translated name and, if different, the own name."""
    choices = []
    for code in STAND_LANGUAGE_CODES:
        name, local = language_name(code), language_local_name(code)
        choices.append((code, name if name == local else f"{name} ({local})"))
    return choices
