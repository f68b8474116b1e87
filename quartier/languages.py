"""The languages Django's own table does not name.

Leichte Sprache (easy-to-read German, BITV 2.0) is German with a private-use
subtag: `de-x-ls` in URLs and `lang` attributes, `de_X-ls` as the catalogue's
directory under locale/. A string its catalogue lacks falls back to German.
"""

EXTRA_LANG_INFO = {
    "de-x-ls": {
        "bidi": False,
        "code": "de-x-ls",
        "name": "Easy-to-read German",
        "name_local": "Leichte Sprache",
    },
}
