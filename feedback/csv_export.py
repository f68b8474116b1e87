"""CSV files for German spreadsheets: UTF-8 with BOM, ";" between cells.

A cell that starts like a formula (=, +, -, @, tab, carriage return) gets a
leading apostrophe, so a visitor's comment such as ``=HYPERLINK(...)`` stays
text when a coordinator opens the file in Excel or LibreOffice.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: object) -> str:
    """The cell as text, made harmless if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text: BOM, header row, rows; every cell guarded."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([guard(cell) for cell in header])
    for row in rows:
        writer.writerow([guard(cell) for cell in row])
    return buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A download of the table as ``filename`` (ASCII, ending in .csv)."""
    response = HttpResponse(
        to_csv(header, rows).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
