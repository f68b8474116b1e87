"""XLIFF 1.2 and PO files for external translators (translate-toolkit).

Each unit is one field of one object, identified as ``app.model/pk/field``
(``events.event/12/title``), so a translated file finds its way back. The
source is the German text; the target the translation already there, if any.
Files from outside are read carefully: UTF-8 only, no document type and no
entities (an XML external entity could read files from the server).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from translate.storage import po, xliff

from events.models import SOURCE_LANGUAGE
from translation_exchange.selectors import rows_by_language, text_fields

FORMATS = {"xliff": "xlf", "po": "po"}
CONTENT_TYPES = {"xliff": "application/x-xliff+xml", "po": "text/x-gettext-translation"}
UNIT_ID = re.compile(
    r"^(?P<model>[a-z_]+\.[a-z_]+)/(?P<pk>[0-9]{1,18})/(?P<field>[a-z_]+)$"
)
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_ORIGINAL = "quartier"
FORBIDDEN_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_12


class Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store, written as version 1.2."""

    UnitClass = Xliff12Unit
    namespace = XLIFF_12
    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version="1.2" xmlns="{XLIFF_12}">
<file original="{XLIFF_ORIGINAL}" source-language="{SOURCE_LANGUAGE}" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""


class ExchangeFileError(ValueError):
    """The uploaded file cannot be read; the message says why, for the form."""


@dataclass(frozen=True)
class Unit:
    id: str
    source: str
    target: str
    note: str = ""


def unit_id(obj, name: str) -> str:
    return f"{obj._meta.label_lower}/{obj.pk}/{name}"


def units_for(objects, language: str) -> list[Unit]:
    """One unit per German text of each object (translations prefetched)."""
    units = []
    for obj in objects:
        rows = rows_by_language(obj)
        source, target = rows.get(SOURCE_LANGUAGE), rows.get(language)
        if source is None:
            continue
        for name in text_fields(type(obj)):
            text = getattr(source, name) or ""
            if not text.strip():
                continue
            model_field = source._meta.get_field(name)
            units.append(
                Unit(
                    id=unit_id(obj, name),
                    source=text,
                    target=(getattr(target, name) or "") if target else "",
                    note=f"{obj._meta.verbose_name} “{obj}”: {model_field.verbose_name}",
                )
            )
    return units


def write(units: list[Unit], *, language: str, file_format: str) -> bytes:
    """The units as an XLIFF 1.2 or PO file for one target language."""
    if file_format == "xliff":
        store = Xliff12File(sourcelanguage=SOURCE_LANGUAGE, targetlanguage=language)
        store.settargetlanguage(language)
    else:
        store = po.pofile()
        store.updateheader(add=True, Language=language, X_Generator="Quartier")
    for item in units:
        if file_format == "xliff":
            unit = store.addsourceunit(item.source, filename=XLIFF_ORIGINAL)
            unit.setid(item.id)
        else:
            unit = store.addsourceunit(item.source)
            unit.setcontext(item.id)
        unit.addnote(item.note, origin="developer")
        if item.target:
            unit.target = item.target
        elif file_format == "xliff":
            unit.markapproved(False)
    return bytes(store)


def read(data: bytes, *, file_format: str) -> tuple[str, list[Unit]]:
    """The target language and the units of an uploaded file.

    Raises ExchangeFileError with a message for the person who uploaded it.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExchangeFileError(_("The file is not UTF-8 text.")) from None
    if file_format == "xliff":
        return read_xliff(data)
    return read_po(data)


def read_xliff(data: bytes) -> tuple[str, list[Unit]]:
    if not data.lstrip().startswith(b"<"):
        raise ExchangeFileError(_("This is not an XLIFF file."))
    if FORBIDDEN_XML.search(data):
        raise ExchangeFileError(
            _("The file declares a document type or entities; these are refused.")
        )
    try:
        store = xliff.xlifffile.parsestring(data)
    except Exception:  # lxml, ValueError, AssertionError: any broken file
        raise ExchangeFileError(_("This is not a readable XLIFF file.")) from None
    units = [
        Unit(
            id=(unit.getid() or "").rpartition("\x04")[2],
            source=unit.source or "",
            target=unit.target or "",
        )
        for unit in store.getunits()
    ]
    return normalised(store.gettargetlanguage()), units


def read_po(data: bytes) -> tuple[str, list[Unit]]:
    try:
        store = po.pofile.parsestring(data)
    except Exception:  # the parser raises many kinds on a broken file
        raise ExchangeFileError(_("This is not a readable PO file.")) from None
    units = [
        Unit(
            id=unit.getcontext() or "",
            source=unit.source or "",
            target=unit.target or "",
        )
        for unit in store.units
        if not unit.isheader() and not unit.isobsolete()
    ]
    return normalised(store.gettargetlanguage()), units


def normalised(code: str | None) -> str:
    """de_X-ls, DE-x-LS and de-x-ls are one language."""
    return (code or "").replace("_", "-").lower()


def parse_id(value: str) -> tuple[str, int, str] | None:
    """(model label, pk, field) of a unit id, or None if it is not one."""
    match = UNIT_ID.match(value)
    if match is None:
        return None
    return match["model"], int(match["pk"]), match["field"]
