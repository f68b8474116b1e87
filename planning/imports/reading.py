"""Reading a spreadsheet into rows, and reading its cells: shared by both imports."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from jobcenters.scoping import current_jobcenter_id

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
        if all(blank(cell) for cell in cells):
            continue
        if not header_found:
            header, header_found = [cell_text(cell) for cell in cells], True
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
                    if all(blank(value) for value in values):
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


def blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def shown(cell) -> str:
    text = cell_text(cell)
    return text if len(text) <= 40 else text[:39] + "…"


def header_key(text: str) -> str:
    """Case, spaces, dashes and ß do not matter: "Straße" is "strasse"."""
    return re.sub(r"[\s_\-]+", "_", text.replace("\ufeff", "").strip().casefold())


def parse_date(cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    text = re.sub(r"[ T]00:00(:00)?$", "", text)  # a date cell saved as text
    if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})", text):
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if year < 100 else 0
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError(
            _("“%(value)s” is not a date (write 23.07.2024 or 2024-07-23).")
            % {"value": shown(cell)}
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a date in the calendar.") % {"value": shown(cell)}
        ) from None


def parse_time(cell) -> time:
    if isinstance(cell, datetime):
        return cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and 0 <= cell < 1:
        minutes = round(cell * 24 * 60)  # Excel: a time is a fraction of a day
        return time(minutes // 60 % 24, minutes % 60)
    text = cell_text(cell).casefold().removesuffix("uhr").strip()
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?", text)
    if match:
        hour, minute = int(match[1]), int(match[2] or 0)
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    raise CellError(
        _("“%(value)s” is not a time (write 10:00 or 10.00).") % {"value": shown(cell)}
    )


def parse_count(cell, *, maximum: int) -> int:
    """A whole number: 1234, 1.234 (German thousands), 12,0; never negative."""
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": shown(cell)})
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and not cell.is_integer():
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": shown(cell)}
            )
        number = int(cell)
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", cell_text(cell))
        negative = text.startswith(("-", "−"))
        digits = text.lstrip("-−")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
            digits = digits.replace(".", "")
        elif re.fullmatch(r"\d+[.,]0+", digits):
            digits = re.split(r"[.,]", digits)[0]
        if not re.fullmatch(r"\d+", digits):
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": shown(cell)}
            )
        number = -int(digits) if negative else int(digits)
    if number < 0:
        raise CellError(
            _("“%(value)s” is negative: count from 0.") % {"value": shown(cell)}
        )
    if number > maximum:
        raise CellError(
            _("“%(value)s” is more than %(maximum)d: is it a typo?")
            % {"value": shown(cell), "maximum": maximum}
        )
    return number


def parse_postcode(cell) -> str:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return cell_text(cell).zfill(5)  # Excel drops the 0 of 01067
    return cell_text(cell)


def name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def street_key(text: str) -> str:
    """ "Hauptstr. 5", "Hauptstraße 5" and "hauptstrasse  5" are one street."""
    key = name_key(text)
    key = re.sub(r"str\.(?=\s|\d|$)", "strasse", key)
    return re.sub(r"\s+(?=\d)", " ", key)


def map_header(header: list[str], aliases: dict[str, set[str]]):
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


def cell_at(cells: list, index: int | None):
    if index is None or index >= len(cells):
        return None
    return cells[index]


@dataclass
class Parsed:
    """What a file holds: the rows that could be read and the errors."""

    rows: list
    errors: list[RowError]
    # The optional columns the file has: an absent one changes nothing stored.
    columns: tuple[str, ...] = ()


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


def error_plan(source: str, errors: list[RowError]) -> Plan:
    return Plan(source=source, errors=sorted(errors, key=lambda e: e.line))


def scope_check() -> None:
    """Imports write a Jobcenter's rows: one Jobcenter's scope must be active."""
    if current_jobcenter_id() is None:
        raise RuntimeError("An import runs inside one Jobcenter's scope.")
