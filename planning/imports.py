"""Reading spreadsheets of past dates and of pedestrian counters.

One reader for the command line and the admin, in three steps:

1. ``read_table`` turns the bytes of a CSV file (``;``, ``,`` or tab; UTF-8
   with or without BOM, UTF-16 or Windows-1252 as Excel writes them) or of an
   XLSX workbook (its first sheet) into a header and numbered rows; a file
   that is none of these is refused as a whole (``FileProblem``).
2. ``parse_history`` / ``parse_counter`` read each cell (German and ISO
   dates, ``10:00`` and ``10.00``, ``1.234``) into plain values, every bad
   cell an error with its line number.
3. ``plan_history`` / ``plan_counter`` compare with what is stored and say
   for each row what importing it does: created, updated or unchanged (the
   unique constraints decide what "the same" is); ``apply_*`` stores a plan
   without errors in one transaction. Nothing is stored of a file with an
   error.

The parsed rows are plain data (``to_payload``/``from_payload``): the admin
carries them, signed, from the preview to the confirmation, and the plan is
made again against the database as it is then.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import SOURCE_LANGUAGE, District, Location
from jobcenters.scoping import active_jobcenter, current_jobcenter_id
from planning.models import PassersByCount, PastDate

# Dates and hours in the files are wall-clock times where the dates were held.
BERLIN = ZoneInfo("Europe/Berlin")
MAX_FILE_BYTES = 5 * 1024 * 1024
# A workbook is a zip: what it unpacks to is limited too (a "zip bomb").
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_HISTORY_ROWS = 20_000
MAX_COUNTER_ROWS = 200_000
MAX_CONTACTS = 100_000
MAX_PASSERS_BY = 10_000_000
EARLIEST_YEAR = 1990
NAME_LENGTH = 200
DISTRICT_LENGTH = 100

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old .xls format
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileProblem(Exception):
    """The file as a whole cannot be read: nothing of it is imported."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {
            "line": self.line,
            "message": self.message,
        }


@dataclass
class Table:
    header: list[str]
    # (line number, cells) with cells as the reader gives them: text from a
    # CSV file, also numbers, dates and times from a workbook.
    rows: list[tuple[int, list]]


# --- 1. Reading the file ---------------------------------------------------


def read_table(data: bytes, *, max_rows: int) -> Table:
    """The header and the non-empty rows of a CSV or XLSX file."""
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(
            _("The file is too large (%(size)s MB); at most %(limit)s MB.")
            % {
                "size": round(len(data) / 1_048_576, 1),
                "limit": MAX_FILE_BYTES // 1_048_576,
            }
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        lines = _xlsx_rows(data, max_rows)
    elif data.startswith(OLE_MAGIC):
        raise FileProblem(
            _("This is an old Excel file (.xls): save it as .xlsx or CSV first.")
        )
    else:
        lines = _csv_rows(_decode(data), max_rows)
    header_found = False
    header: list[str] = []
    rows: list[tuple[int, list]] = []
    for line, cells in lines:
        if all(_blank(cell) for cell in cells):
            continue
        if not header_found:
            header, header_found = [_text(cell) for cell in cells], True
            continue
        rows.append((line, cells))
        if len(rows) > max_rows:
            raise FileProblem(
                _("The file has more than %(limit)d rows: split it.")
                % {"limit": max_rows}
            )
    if not header_found:
        raise FileProblem(_("The file is empty."))
    return Table(header=header, rows=rows)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif b"\x00" in data:
        raise FileProblem(_("This is not a spreadsheet (CSV or XLSX)."))
    else:
        encodings = ["utf-8", "cp1252"]  # cp1252: Excel's "CSV" on Windows
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL.search(text):
            break
        return text
    raise FileProblem(_("This is not a spreadsheet (CSV or XLSX)."))


def _separator(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _csv_rows(text: str, max_rows: int):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileProblem(
            _("Line %(line)d cannot be read: %(reason)s")
            % {"line": line, "reason": error}
        ) from None


def _xlsx_rows(data: bytes, max_rows: int):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise FileProblem(_("This is not a spreadsheet (CSV or XLSX).")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(_("The workbook is too large when unpacked."))
    import openpyxl  # only here: most imports are CSV

    rows: list[tuple[int, list]] = []
    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style" and the like: not ours to fix.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True
            )
            try:
                sheet = book.worksheets[0]
                filled = 0
                for number, values in enumerate(
                    sheet.iter_rows(values_only=True), start=1
                ):
                    if all(_blank(value) for value in values):
                        continue
                    rows.append((number, list(values)))
                    filled += 1
                    if filled > max_rows + 1:  # read_table says it is too long
                        break
            finally:
                book.close()
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise FileProblem(
            _("The workbook cannot be read: save it again as .xlsx or CSV.")
        ) from None
    return rows


# --- 2. Reading cells ------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; its message says why."""


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _shown(cell) -> str:
    text = _text(cell)
    return text if len(text) <= 40 else text[:39] + "…"


def header_key(text: str) -> str:
    """Case, spaces, dashes and ß do not matter: "Straße" is "strasse"."""
    return re.sub(r"[\s_\-]+", "_", text.replace("\ufeff", "").strip().casefold())


def parse_date(cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    text = re.sub(r"[ T]00:00(:00)?$", "", text)  # a date cell saved as text
    if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})", text):
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if year < 100 else 0
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError(
            _("“%(value)s” is not a date (write 23.07.2024 or 2024-07-23).")
            % {"value": _shown(cell)}
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date in the calendar.") % {"value": _shown(cell)}
        ) from None


def parse_time(cell) -> time:
    if isinstance(cell, datetime):
        return cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 0 <= cell < 1:
        minutes = round(cell * 24 * 60)  # Excel: a time is a fraction of a day
        return time(minutes // 60 % 24, minutes % 60)
    text = _text(cell).casefold().removesuffix("uhr").strip()
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?", text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    raise CellError(
        _("“%(value)s” is not a time (write 10:00 or 10.00).") % {"value": _shown(cell)}
    )


def parse_count(cell, *, maximum: int) -> int:
    """A whole number: 1234, 1.234 (German thousands), 12,0; never negative."""
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": _shown(cell)})
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and not cell.is_integer():
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": _shown(cell)}
            )
        number = int(cell)
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", _text(cell))
        negative = text.startswith(("-", "−"))
        digits = text.lstrip("-−")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
            digits = digits.replace(".", "")
        elif re.fullmatch(r"\d+[.,]0+", digits):
            digits = re.split(r"[.,]", digits)[0]
        if not re.fullmatch(r"\d+", digits):
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": _shown(cell)}
            )
        number = -int(digits) if negative else int(digits)
    if number < 0:
        raise CellError(
            _("“%(value)s” is negative: count from 0.") % {"value": _shown(cell)}
        )
    if number > maximum:
        raise CellError(
            _("“%(value)s” is more than %(maximum)d: is it a typo?")
            % {"value": _shown(cell), "maximum": maximum}
        )
    return number


def parse_postcode(cell) -> str:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _text(cell).zfill(5)  # Excel drops the 0 of 01067
    return _text(cell)


def name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def street_key(text: str) -> str:
    """ "Hauptstr. 5", "Hauptstraße 5" and "hauptstrasse  5" are one street."""
    key = name_key(text)
    key = re.sub(r"str\.(?=\s|\d|$)", "strasse", key)
    return re.sub(r"\s+(?=\d)", " ", key)


def _map_header(header: list[str], aliases: dict[str, set[str]]):
    """Column index per field, and the headers no field knows."""
    lookup = {alias: name for name, names in aliases.items() for alias in names}
    columns: dict[str, int] = {}
    unknown: list[str] = []
    duplicate: list[str] = []
    for index, text in enumerate(header):
        if not text:
            continue
        name = lookup.get(header_key(text))
        if name is None:
            unknown.append(text)
        elif name in columns:
            duplicate.append(text)
        else:
            columns[name] = index
    return columns, unknown, duplicate


def _cell(cells: list, index: int | None):
    if index is None or index >= len(cells):
        return None
    return cells[index]


# --- The past dates --------------------------------------------------------

HISTORY_HEADERS: dict[str, set[str]] = {
    "date": {"date", "datum", "tag"},
    "start": {"start", "beginn", "begin", "von"},
    "end": {"end", "ende", "bis"},
    "location": {"location", "ort", "standort", "place"},
    "street": {"street", "strasse", "str."},
    "postcode": {"postcode", "plz", "postleitzahl", "zip"},
    "district": {"district", "stadtteil", "bezirk"},
    "city": {"city", "stadt"},
    "contacts": {"contacts", "kontakte", "gespräche"},
    "passers_by": {"passers_by", "passersby", "passanten"},
    "title": {"title", "titel"},
}
HISTORY_REQUIRED = (
    "date",
    "start",
    "end",
    "location",
    "street",
    "postcode",
    "district",
    "contacts",
)
COLUMN_LABELS = {
    "date": gettext_lazy("date"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "location": gettext_lazy("location"),
    "street": gettext_lazy("street"),
    "postcode": gettext_lazy("postcode"),
    "district": gettext_lazy("district"),
    "city": gettext_lazy("city"),
    "contacts": gettext_lazy("contacts"),
    "passers_by": gettext_lazy("passers-by"),
    "title": gettext_lazy("title"),
}
# The headers as the German template writes them, named in messages.
GERMAN_HEADERS = {
    "date": "Datum",
    "start": "Beginn",
    "end": "Ende",
    "location": "Ort",
    "street": "Straße",
    "postcode": "PLZ",
    "district": "Stadtteil",
    "contacts": "Kontakte",
}


@dataclass
class HistoryRow:
    line: int
    start: datetime
    end: datetime
    location: str
    street: str
    postcode: str
    district: str
    city: str
    contacts: int
    passers_by: int | None
    title: str

    def to_payload(self) -> list:
        return [
            self.line,
            self.start.isoformat(),
            self.end.isoformat(),
            self.location,
            self.street,
            self.postcode,
            self.district,
            self.city,
            self.contacts,
            self.passers_by,
            self.title,
        ]

    @classmethod
    def from_payload(cls, item: list) -> HistoryRow:
        line, start, end, *texts, contacts, passers_by, title = item
        return cls(
            line,
            datetime.fromisoformat(start),
            datetime.fromisoformat(end),
            *texts,
            contacts,
            passers_by,
            title,
        )


@dataclass
class Parsed:
    """What a file holds: the rows that could be read and the errors."""

    rows: list
    errors: list[RowError]
    # The optional columns the file has: an absent one changes nothing stored.
    columns: tuple[str, ...] = ()


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=BERLIN)


def parse_history(table: Table, *, today: date | None = None) -> Parsed:
    today = today or timezone.localdate()
    columns, unknown, duplicate = _map_header(table.header, HISTORY_HEADERS)
    errors = [
        RowError(1, _("Unknown column “%(name)s”.") % {"name": _shown(name)})
        for name in unknown
    ]
    errors += [
        RowError(1, _("The column “%(name)s” is there twice.") % {"name": name})
        for name in duplicate
    ]
    missing = [name for name in HISTORY_REQUIRED if name not in columns]
    if missing:
        errors.append(
            RowError(
                1,
                _("Missing column(s): %(names)s.")
                % {
                    "names": ", ".join(
                        f"{name}/{GERMAN_HEADERS[name]}" for name in missing
                    )
                },
            )
        )
    if errors:
        return Parsed(rows=[], errors=errors)
    if not table.rows:
        return Parsed(rows=[], errors=[RowError(2, _("The file has no rows."))])
    rows, errors = [], []
    for line, cells in table.rows:
        try:
            rows.append(_history_row(line, cells, columns, today))
        except CellError as error:
            errors.append(RowError(line, str(error)))
    optional = tuple(name for name in ("passers_by", "title") if name in columns)
    return Parsed(rows=rows, errors=errors, columns=optional)


def _history_row(line: int, cells: list, columns: dict, today: date) -> HistoryRow:
    def value(name):
        return _cell(cells, columns.get(name))

    def text(name, limit):
        result = _text(value(name))
        if len(result) > limit:
            raise CellError(
                _("The %(column)s is longer than %(limit)d characters.")
                % {"column": COLUMN_LABELS[name], "limit": limit}
            )
        return result

    if _blank(value("date")):
        raise CellError(_("The date is missing."))
    day = parse_date(value("date"))
    if day > today:
        raise CellError(
            _("%(date)s lies in the future: only past dates are imported.")
            % {"date": day.strftime("%d.%m.%Y")}
        )
    if day.year < EARLIEST_YEAR:
        raise CellError(
            _("%(date)s is too long ago.") % {"date": day.strftime("%d.%m.%Y")}
        )
    for name in ("start", "end", "location", "contacts"):
        if _blank(value(name)):
            raise CellError(
                _("The %(column)s is missing.") % {"column": COLUMN_LABELS[name]}
            )
    start = local(day, parse_time(value("start")))
    end = local(day, parse_time(value("end")))
    if end <= start:
        raise CellError(
            _("The end (%(end)s) is not after the start (%(start)s).")
            % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"}
        )
    passers_by = value("passers_by")
    return HistoryRow(
        line=line,
        start=start,
        end=end,
        location=text("location", NAME_LENGTH),
        street=text("street", NAME_LENGTH),
        postcode=parse_postcode(value("postcode"))[:20],
        district=text("district", DISTRICT_LENGTH),
        city=text("city", 100),
        contacts=parse_count(value("contacts"), maximum=MAX_CONTACTS),
        passers_by=(
            None
            if _blank(passers_by)
            else parse_count(passers_by, maximum=MAX_PASSERS_BY)
        ),
        title=text("title", NAME_LENGTH),
    )


# --- 3. Planning and storing -----------------------------------------------

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Outcome:
    line: int
    action: str  # created, updated, unchanged
    label: str  # what the row is about, e.g. "Marktplatz, 23.07.2024 10:00–14:00"
    detail: str = ""  # for an update: what changes
    new_location: bool = False


@dataclass
class Plan:
    """What importing a file would do, or did."""

    source: str
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_locations: list[str] = field(default_factory=list)
    new_districts: list[str] = field(default_factory=list)
    stored: bool = False
    # Filled by the planner, used by apply.
    _work: dict = field(default_factory=dict, repr=False)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def ok(self) -> bool:
        return not self.errors


def _error_plan(source: str, errors: list[RowError]) -> Plan:
    return Plan(source=source, errors=sorted(errors, key=lambda e: e.line))


def _location_name(location: Location) -> str:
    for translation in location.translations.all():
        if translation.language_code == SOURCE_LANGUAGE:
            return translation.name
    return location.safe_translation_getter("name", any_language=True) or ""


@dataclass
class _NewLocation:
    name: str
    street: str
    postcode: str
    city: str
    district: str  # the district's key in the plan

    @property
    def label(self) -> str:
        return f"{self.name}, {self.street}, {self.postcode} {self.city}"


class _Places:
    """The Jobcenter's locations and districts, read once, and those to create."""

    def __init__(self):
        self.by_name: dict[str, list[Location]] = defaultdict(list)
        for location in Location.objects.prefetch_related("translations").order_by(
            "pk"
        ):
            self.by_name[name_key(_location_name(location))].append(location)
        self.districts = {
            name_key(district.name): district for district in District.objects.all()
        }
        self.slugs = set(District.objects.values_list("slug", flat=True))
        self.new_districts: dict[str, str] = {}  # key: name
        self.new_locations: dict[tuple, _NewLocation] = {}
        jobcenter = active_jobcenter()
        # A new place is in the Jobcenter's city unless the file names another.
        self.city = (
            getattr(jobcenter, "city", "")
            or Location._meta.get_field("city").get_default()
        )

    def find(self, row: HistoryRow) -> Location | tuple:
        """The stored location of this row, or the key of one to create."""
        candidates = self.by_name.get(name_key(row.location), [])
        if row.street:
            candidates = [
                c for c in candidates if street_key(c.street) == street_key(row.street)
            ]
        if row.postcode:
            candidates = [c for c in candidates if c.postcode == row.postcode]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise CellError(
                _(
                    "Several locations are called “%(name)s”: give the street "
                    "and postcode to say which."
                )
                % {"name": _shown(row.location)}
            )
        return self._new(row)

    def _new(self, row: HistoryRow) -> tuple:
        key = (name_key(row.location), street_key(row.street), row.postcode)
        if key in self.new_locations:
            return key
        if not (row.street and re.fullmatch(r"\d{5}", row.postcode) and row.district):
            raise CellError(
                _(
                    "No location “%(name)s” at this address is known: to create "
                    "it, give the street, a five-digit postcode and the district."
                )
                % {"name": _shown(row.location)}
            )
        district = name_key(row.district)
        if district not in self.districts and district not in self.new_districts:
            self.new_districts[district] = row.district
        self.new_locations[key] = _NewLocation(
            name=row.location,
            street=row.street,
            postcode=row.postcode,
            city=row.city or self.city,
            district=district,
        )
        return key

    def slug_for(self, name: str) -> str:
        base = slugify(name)[:90] or "stadtteil"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


def _when(start: datetime, end: datetime) -> str:
    start, end = start.astimezone(BERLIN), end.astimezone(BERLIN)
    return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


def plan_history(parsed: Parsed, *, source: str) -> Plan:
    """What importing these rows would do; reads the database, writes nothing."""
    if parsed.errors:
        return _error_plan(source, parsed.errors)
    places = _Places()
    errors: list[RowError] = []
    resolved: list[tuple[HistoryRow, Location | tuple]] = []
    seen: dict[tuple, int] = {}
    for row in parsed.rows:
        try:
            place = places.find(row)
        except CellError as error:
            errors.append(RowError(row.line, str(error)))
            continue
        identity = (place.pk if isinstance(place, Location) else place, row.start)
        if identity in seen:
            errors.append(
                RowError(
                    row.line,
                    _("The same place and start as line %(line)d.")
                    % {"line": seen[identity]},
                )
            )
            continue
        seen[identity] = row.line
        resolved.append((row, place))
    if errors:
        return _error_plan(source, errors)

    stored = {}
    known = {place.pk for _row, place in resolved if isinstance(place, Location)}
    if known:
        starts = [row.start for row, _place in resolved]
        for past in PastDate.objects.filter(
            location__in=known, start__gte=min(starts), start__lte=max(starts)
        ):
            stored[(past.location_id, past.start)] = past

    plan = Plan(source=source)
    creates, updates = [], []
    compared = ("end", "contacts", *parsed.columns)
    for row, place in resolved:
        is_new = not isinstance(place, Location)
        name = row.location if is_new else _location_name(place)
        label = f"{name}, {_when(row.start, row.end)}"
        past = None if is_new else stored.get((place.pk, row.start))
        if past is None:
            creates.append((row, place))
            plan.outcomes.append(Outcome(row.line, CREATED, label, new_location=is_new))
            continue
        changes = [
            f"{name}: {_shown_value(getattr(past, name))} → "
            f"{_shown_value(getattr(row, name))}"
            for name in compared
            if getattr(past, name) != getattr(row, name)
        ]
        if changes:
            for name in compared:
                setattr(past, name, getattr(row, name))
            past.source = source[:200]
            updates.append(past)
            plan.outcomes.append(Outcome(row.line, UPDATED, label, "; ".join(changes)))
        else:
            plan.outcomes.append(Outcome(row.line, UNCHANGED, label))
    plan.new_districts = sorted(places.new_districts.values(), key=str.casefold)
    plan.new_locations = sorted(
        (new.label for new in places.new_locations.values()), key=str.casefold
    )
    plan._work = {"places": places, "creates": creates, "updates": updates}
    plan._work["fields"] = [*compared, "source"]
    return plan


def _shown_value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime):
        return f"{value.astimezone(BERLIN):%H:%M}"
    return _shown(value)


def apply_history(plan: Plan) -> Plan:
    """Store a plan without errors, all or nothing."""
    assert plan.ok, "a plan with errors is never stored"
    work = plan._work
    places: _Places = work["places"]
    try:
        with transaction.atomic():
            districts = dict(places.districts)
            for key, name in places.new_districts.items():
                districts[key] = District.objects.create(
                    name=name, slug=places.slug_for(name)
                )
            locations = {}
            for key, new in places.new_locations.items():
                location = Location(
                    street=new.street,
                    postcode=new.postcode,
                    district=districts[new.district],
                )
                location.city = new.city
                location.set_current_language(SOURCE_LANGUAGE)
                location.name = new.name
                location.save()
                locations[key] = location
            PastDate.objects.bulk_create(
                [
                    PastDate(
                        location=(
                            place if isinstance(place, Location) else locations[place]
                        ),
                        start=row.start,
                        end=row.end,
                        contacts=row.contacts,
                        passers_by=row.passers_by,
                        title=row.title,
                        source=plan.source[:200],
                    )
                    for row, place in work["creates"]
                ],
                batch_size=500,
            )
            if work["updates"]:
                PastDate.objects.bulk_update(
                    work["updates"], work["fields"], batch_size=500
                )
    except IntegrityError:
        # Someone imported or typed in the same dates meanwhile.
        plan.errors.append(
            RowError(
                1, _("The stored data changed while importing: import the file again.")
            )
        )
        return plan
    plan.stored = True
    return plan


def import_history(data: bytes, *, source: str, dry_run: bool = False) -> Plan:
    """Read, check and (unless a dry run) store a file of past dates."""
    try:
        table = read_table(data, max_rows=MAX_HISTORY_ROWS)
    except FileProblem as problem:
        return _error_plan(source, [RowError(1, str(problem))])
    return run_history(parse_history(table), source=source, dry_run=dry_run)


def run_history(parsed: Parsed, *, source: str, dry_run: bool) -> Plan:
    scope_check()
    with transaction.atomic():
        plan = plan_history(parsed, source=source)
        if plan.ok and not dry_run:
            apply_history(plan)
    return plan


# --- The pedestrian counter ------------------------------------------------

COUNTER_HEADERS: dict[str, set[str]] = {
    "timestamp": {
        "timestamp",
        "zeitpunkt",
        "zeitstempel",
        "datetime",
        "date_time",
        "datum_uhrzeit",
        "datum_und_uhrzeit",
    },
    "date": {"date", "datum"},
    "time": {"time", "uhrzeit", "zeit", "hour", "stunde"},
    "count": {
        "count",
        "anzahl",
        "pedestrians_count",
        "pedestrians",
        "passers_by",
        "passanten",
        "fußgänger",
        "zählung",
    },
}


@dataclass
class CounterHour:
    line: int  # the first line counted in this hour
    day: date
    hour: int
    count: int

    def to_payload(self) -> list:
        return [self.line, self.day.isoformat(), self.hour, self.count]

    @classmethod
    def from_payload(cls, item: list) -> CounterHour:
        line, day, hour, count = item
        return cls(line, date.fromisoformat(day), hour, count)


def parse_timestamp(cell) -> tuple[datetime, bool]:
    """The local wall-clock time of a reading, and whether the file named its zone."""
    if isinstance(cell, datetime):
        moment = cell
    else:
        text = _text(cell)
        german = re.fullmatch(
            r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,T]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?",
            text,
        )
        try:
            if german:
                day, month, year, hour, minute = (int(p) for p in german.groups()[:5])
                # Wall-clock time where the counter stands; zoned below.
                moment = datetime(year, month, day, hour, minute)  # noqa: DTZ001
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                _(
                    "“%(value)s” is not a time stamp "
                    "(write 2024-07-23T10:00:00+02:00 or 23.07.2024 10:00)."
                )
                % {"value": _shown(cell)}
            ) from None
    if moment.tzinfo is not None:
        return moment.astimezone(BERLIN).replace(tzinfo=None), True
    return moment, False


def parse_counter(table: Table, *, today: date | None = None) -> Parsed:
    """Readings summed per local date and hour; other columns are ignored."""
    today = today or timezone.localdate()
    columns, _unknown, duplicate = _map_header(table.header, COUNTER_HEADERS)
    errors = [
        RowError(1, _("The column “%(name)s” is there twice.") % {"name": name})
        for name in duplicate
    ]
    has_time = "timestamp" in columns or ("date" in columns and "time" in columns)
    if "count" not in columns or not has_time:
        errors.append(
            RowError(
                1,
                _(
                    "Missing column(s): the file needs a time stamp (or a date "
                    "and a time) and a count."
                ),
            )
        )
    if errors:
        return Parsed(rows=[], errors=errors)
    if not table.rows:
        return Parsed(rows=[], errors=[RowError(2, _("The file has no rows."))])
    hours: dict[tuple[date, int], CounterHour] = {}
    seen: dict[datetime, int] = {}
    errors = []
    for line, cells in table.rows:
        try:
            if "timestamp" in columns:
                moment, zoned = parse_timestamp(_cell(cells, columns["timestamp"]))
            else:
                day = parse_date(_cell(cells, columns["date"]))
                moment = datetime.combine(
                    day, parse_time(_cell(cells, columns["time"]))
                )
                zoned = False
            if moment.date() > today:
                raise CellError(
                    _("%(date)s lies in the future.")
                    % {"date": moment.strftime("%d.%m.%Y %H:%M")}
                )
            if moment.year < EARLIEST_YEAR:
                raise CellError(
                    _("%(date)s is too long ago.")
                    % {"date": moment.strftime("%d.%m.%Y")}
                )
            count_cell = _cell(cells, columns["count"])
            if _blank(count_cell):
                raise CellError(_("The count is missing."))
            count = parse_count(count_cell, maximum=MAX_PASSERS_BY)
        except CellError as error:
            errors.append(RowError(line, str(error)))
            continue
        if moment in seen and (zoned or not _repeated_hour(moment)):
            errors.append(
                RowError(
                    line,
                    _("The same time as line %(line)d.") % {"line": seen[moment]},
                )
            )
            continue
        seen.setdefault(moment, line)
        key = (moment.date(), moment.hour)
        if key in hours:
            hours[key].count += count
        else:
            hours[key] = CounterHour(line, moment.date(), moment.hour, count)
    return Parsed(
        rows=sorted(hours.values(), key=lambda h: (h.day, h.hour)), errors=errors
    )


def _repeated_hour(moment: datetime) -> bool:
    """In the night summer time ends, 2 o'clock comes twice: two readings."""
    first = moment.replace(tzinfo=BERLIN, fold=0).utcoffset()
    return first != moment.replace(tzinfo=BERLIN, fold=1).utcoffset()


def plan_counter(parsed: Parsed, *, location: Location, source: str) -> Plan:
    if parsed.errors:
        return _error_plan(source, parsed.errors)
    plan = Plan(source=source)
    hours: list[CounterHour] = parsed.rows
    stored = {
        (row.date, row.hour): row
        for row in PassersByCount.objects.filter(
            location=location,
            source=PassersByCount.Source.COUNTER,
            date__gte=hours[0].day,
            date__lte=hours[-1].day,
        )
    }
    creates, updates = [], []
    for hour in hours:
        label = f"{hour.day:%d.%m.%Y} {hour.hour:02d}:00–{(hour.hour + 1) % 24:02d}:00"
        row = stored.get((hour.day, hour.hour))
        if row is None:
            creates.append(
                PassersByCount(
                    location=location,
                    date=hour.day,
                    hour=hour.hour,
                    minutes=60,
                    count=hour.count,
                    source=PassersByCount.Source.COUNTER,
                )
            )
            plan.outcomes.append(Outcome(hour.line, CREATED, label, str(hour.count)))
        elif row.count != hour.count or row.minutes != 60:
            detail = f"{row.count} → {hour.count}"
            row.count, row.minutes = hour.count, 60
            updates.append(row)
            plan.outcomes.append(Outcome(hour.line, UPDATED, label, detail))
        else:
            plan.outcomes.append(Outcome(hour.line, UNCHANGED, label, str(hour.count)))
    plan._work = {"creates": creates, "updates": updates}
    return plan


def apply_counter(plan: Plan) -> Plan:
    assert plan.ok, "a plan with errors is never stored"
    try:
        with transaction.atomic():
            PassersByCount.objects.bulk_create(plan._work["creates"], batch_size=1000)
            if plan._work["updates"]:
                PassersByCount.objects.bulk_update(
                    plan._work["updates"], ["count", "minutes"], batch_size=1000
                )
    except IntegrityError:
        plan.errors.append(
            RowError(
                1, _("The stored data changed while importing: import the file again.")
            )
        )
        return plan
    plan.stored = True
    return plan


def import_counter(
    data: bytes, *, location: Location, source: str, dry_run: bool = False
) -> Plan:
    """Read, check and (unless a dry run) store a pedestrian counter's file."""
    try:
        table = read_table(data, max_rows=MAX_COUNTER_ROWS)
    except FileProblem as problem:
        return _error_plan(source, [RowError(1, str(problem))])
    return run_counter(
        parse_counter(table), location=location, source=source, dry_run=dry_run
    )


def run_counter(
    parsed: Parsed, *, location: Location, source: str, dry_run: bool
) -> Plan:
    scope_check()
    with transaction.atomic():
        plan = plan_counter(parsed, location=location, source=source)
        if plan.ok and not dry_run:
            apply_counter(plan)
    return plan


def scope_check() -> None:
    """Imports write a Jobcenter's rows: one Jobcenter's scope must be active."""
    if current_jobcenter_id() is None:
        raise RuntimeError("An import runs inside one Jobcenter's scope.")


__all__ = [
    "MAX_FILE_BYTES",
    "CounterHour",
    "FileProblem",
    "HistoryRow",
    "Outcome",
    "Parsed",
    "Plan",
    "RowError",
    "Table",
    "import_counter",
    "import_history",
    "parse_counter",
    "parse_history",
    "plan_counter",
    "plan_history",
    "read_table",
    "run_counter",
    "run_history",
]
