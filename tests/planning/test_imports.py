"""Reading spreadsheets of past dates: formats, matching, all or nothing."""

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from events.models import District, Location
from planning.imports import (
    FileProblem,
    import_history,
    parse_count,
    parse_date,
    parse_time,
    read_table,
    street_key,
)
from planning.models import PastDate
from tests.factories import DistrictFactory, LocationFactory

BERLIN = ZoneInfo("Europe/Berlin")

GERMAN = (
    "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte;Passanten;Titel\n"
    "23.07.2024;10:00;14.00;Marktplatz;Marktplatz 1;75175;Innenstadt;1.234;;Sommerfest\n"
    "24.07.2024;9.30;12:00;Bücherei;Leopoldstraße 5;75172;Nordstadt;12;340;\n"
)
ENGLISH = (
    "date,start,end,location,street,postcode,district,contacts\n"
    "2024-07-23,10:00,14:00,Marktplatz,Marktplatz 1,75175,Innenstadt,1234\n"
    "2024-07-24,09:30,12:00,Bücherei,Leopoldstraße 5,75172,Nordstadt,12\n"
)


def run(text: str | bytes, *, dry_run=False, source="termine.csv", encoding="utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return import_history(data, source=source, dry_run=dry_run)


def at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=BERLIN)


def excel_cell(*parts) -> datetime:
    """A date cell of a workbook: Excel knows no time zones."""
    return datetime(*parts)  # noqa: DTZ001


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [GERMAN, ENGLISH], ids=["german", "english"])
def test_german_and_english_headers_and_both_separators(text):
    plan = run(text)

    assert plan.ok, plan.errors
    assert plan.stored
    assert (plan.created, plan.updated, plan.unchanged) == (2, 0, 0)
    market = PastDate.objects.get(location__translations__name="Marktplatz")
    assert market.start == at("2024-07-23", 10)
    assert market.end == at("2024-07-23", 14)
    assert market.contacts == 1234
    assert market.source == "termine.csv"
    library = PastDate.objects.get(location__translations__name="Bücherei")
    assert library.start == at("2024-07-24", 9, 30)
    assert plan.new_districts == ["Innenstadt", "Nordstadt"]
    assert len(plan.new_locations) == 2
    assert District.objects.filter(name="Nordstadt", slug="nordstadt").exists()


def test_german_values_are_read():
    run(GERMAN)
    library = PastDate.objects.get(location__translations__name="Bücherei")
    assert library.passers_by == 340
    assert PastDate.objects.get(contacts=1234).title == "Sommerfest"


def test_bom_and_windows_1252_as_excel_writes_them():
    assert run(GERMAN.encode("utf-8-sig")).stored
    PastDate.objects.all().delete()
    plan = run(GERMAN.replace("\n", "\r\n"), encoding="cp1252")
    assert plan.stored, plan.errors
    assert (plan.created, plan.unchanged) == (2, 0)
    assert Location.objects.filter(translations__name="Bücherei").count() == 1


def test_an_xlsx_file_with_date_time_and_number_cells():
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Datum", "Beginn", "Ende", "Ort", "Strasse", "PLZ", "Stadtteil", "Kontakte"]
    )
    sheet.append(
        [
            excel_cell(2024, 7, 23),
            time(10),
            time(14),
            "Marktplatz",
            "Marktplatz 1",
            75175,
            "Innenstadt",
            17,
        ]
    )
    sheet.append(
        [
            "24.07.2024",
            "10:00",
            "12:00",
            "Marktplatz",
            "Marktplatz 1",
            "75175",
            "Innenstadt",
            8.0,
        ]
    )
    sheet.append([None] * 8)  # Excel's empty rows at the end
    buffer = BytesIO()
    book.save(buffer)

    plan = run(buffer.getvalue(), source="termine.xlsx")

    assert plan.stored, plan.errors
    assert sorted(PastDate.objects.values_list("contacts", flat=True)) == [8, 17]
    assert Location.objects.count() == 1


def test_a_broken_row_is_reported_with_its_line_and_nothing_is_stored():
    text = (
        GERMAN + "31.02.2024;10:00;12:00;Marktplatz;Marktplatz 1;75175;Innenstadt;3;;\n"
    )
    text += "25.07.2024;12:00;10:00;Marktplatz;Marktplatz 1;75175;Innenstadt;3;;\n"
    text += "26.07.2024;10:00;12:00;Marktplatz;Marktplatz 1;75175;Innenstadt;-3;;\n"

    plan = run(text)

    assert not plan.stored
    assert [error.line for error in plan.errors] == [4, 5, 6]
    assert "31.02.2024" in plan.errors[0].message
    assert "10:00" in plan.errors[1].message  # the end is not after the start
    assert "-3" in plan.errors[2].message
    assert "Zeile 4" in str(plan.errors[0])
    assert not PastDate.objects.exists()
    assert not Location.objects.exists()
    assert not District.objects.exists()


def test_the_same_file_twice_creates_nothing_twice():
    run(GERMAN)
    again = run(GERMAN)

    assert again.stored
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert not again.new_locations and not again.new_districts
    assert PastDate.objects.count() == 2
    assert Location.objects.count() == 2
    assert District.objects.count() == 2


def test_a_differing_row_is_updated():
    run(GERMAN)
    plan = run(GERMAN.replace("1.234", "1.300"), source="korrigiert.csv")

    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 1)
    assert "1234 → 1300" in plan.outcomes[0].detail
    changed = PastDate.objects.get(contacts=1300)
    assert changed.source == "korrigiert.csv"


def test_a_file_without_passers_by_leaves_them_as_they_are():
    run(GERMAN)
    plan = run(ENGLISH.replace("1234", "1.234"))
    assert (plan.updated, plan.unchanged) == (0, 2), plan.outcomes
    assert PastDate.objects.get(passers_by__isnull=False).passers_by == 340


def test_locations_are_matched_by_name_and_address_whatever_the_spelling():
    district = DistrictFactory(name="Innenstadt", slug="innenstadt")
    market = LocationFactory(
        name="Marktplatz", street="Hauptstraße 5", postcode="75175", district=district
    )
    text = (
        "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n"
        "23.07.2024;10:00;12:00;  MARKTPLATZ ;Hauptstr.  5;75175;innenstadt;3\n"
        "24.07.2024;10:00;12:00;marktplatz;hauptstrasse 5;;;4\n"
    )

    plan = run(text)

    assert plan.stored, plan.errors
    assert not plan.new_locations and not plan.new_districts
    assert set(PastDate.objects.values_list("location", flat=True)) == {market.pk}


def test_a_new_place_in_a_known_district_is_created_with_its_german_name():
    district = DistrictFactory(name="Innenstadt", slug="innenstadt")
    text = (
        "date;start;end;location;street;postcode;district;contacts\n"
        "2024-07-23;10:00;12:00;Marktplatz;Markt 1;75175;INNENSTADT;3\n"
        "2024-07-30;10:00;12:00;Marktplatz;Markt 1;75175;Innenstadt;5\n"
    )
    plan = run(text)

    assert plan.stored, plan.errors
    assert plan.new_districts == []
    assert plan.new_locations == ["Marktplatz, Markt 1, 75175 Pforzheim"]
    location = Location.objects.get()
    assert location.district == district
    assert location.safe_translation_getter("name", language_code="de") == "Marktplatz"


def test_an_unknown_place_without_an_address_is_an_error():
    text = (
        "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n"
        "23.07.2024;10:00;12:00;Irgendwo;;;;3\n"
    )
    plan = run(text)
    assert [e.line for e in plan.errors] == [2]
    assert "Irgendwo" in plan.errors[0].message


def test_two_places_of_one_name_need_the_address():
    LocationFactory(name="Schule", street="A-Weg 1")
    LocationFactory(name="Schule", street="B-Weg 2")
    text = (
        "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n"
        "23.07.2024;10:00;12:00;Schule;;;;3\n"
        "24.07.2024;10:00;12:00;Schule;B-Weg 2;;;3\n"
    )
    plan = run(text)
    assert [e.line for e in plan.errors] == [2]


def test_the_same_place_and_start_twice_in_a_file_is_an_error():
    line = "23.07.2024;10:00;12:00;Marktplatz;Markt 1;75175;Mitte;3\n"
    plan = run("Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n" + line + line)
    assert [(e.line, "2" in e.message) for e in plan.errors] == [(3, True)]
    assert not PastDate.objects.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "leer"),
        ("Datum;Beginn\n", "Fehlende Spalte"),
        ("Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte;Wetter\n", "Wetter"),
        ("Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n", "keine Zeilen"),
    ],
)
def test_a_file_that_is_no_table_of_past_dates_is_refused(text, reason):
    plan = run(text)
    assert not plan.ok
    assert reason in str(plan.errors[0]), plan.errors
    assert plan.errors[0].line in (1, 2)


def test_a_future_date_is_refused():
    text = (
        "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n"
        "23.07.2099;10:00;12:00;Markt;Markt 1;75175;Mitte;3\n"
    )
    assert "Zukunft" in run(text).errors[0].message


def test_a_dry_run_stores_nothing_but_says_what_would_happen():
    plan = run(GERMAN, dry_run=True)
    assert plan.ok and not plan.stored
    assert plan.created == 2
    assert len(plan.new_locations) == 2
    assert not PastDate.objects.exists()
    assert not Location.objects.exists()


# --- Hostile input ---


def test_spreadsheet_formulas_in_names_are_stored_as_text():
    text = (
        "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte;Titel\n"
        "23.07.2024;10:00;12:00;=cmd|' /C calc'!A0;Markt 1;75175;@SUM(1+1);3;+HYPERLINK(\"x\")\n"
    )
    plan = run(text)
    assert plan.stored, plan.errors
    past = PastDate.objects.get()
    assert past.location.safe_translation_getter("name") == "=cmd|' /C calc'!A0"
    assert past.location.district.name == "@SUM(1+1)"
    assert past.title == '+HYPERLINK("x")'


def test_a_file_too_big_is_refused():
    data = GERMAN.encode() + b"x" * (10 * 1024 * 1024)
    plan = run(data)
    assert not plan.ok
    assert "zu groß" in plan.errors[0].message


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"PK\x03\x04" + b"junk" * 100,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    ],
    ids=["random", "png", "broken-zip", "old-xls"],
)
def test_binary_junk_is_refused(data):
    plan = run(data)
    assert not plan.ok
    assert plan.errors[0].line == 1
    assert not PastDate.objects.exists()


def test_over_long_text_is_an_error_not_a_crash():
    text = (
        "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte\n"
        f"23.07.2024;10:00;12:00;{'x' * 300};Markt 1;75175;Mitte;3\n"
    )
    plan = run(text)
    assert [e.line for e in plan.errors] == [2]


# --- The cells ---


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("23.07.2024", date(2024, 7, 23)),
        ("3.7.24", date(2024, 7, 3)),
        ("2024-07-23", date(2024, 7, 23)),
        (excel_cell(2024, 7, 23), date(2024, 7, 23)),
        ("2024-07-23 00:00:00", date(2024, 7, 23)),
    ],
)
def test_dates(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("10:00", time(10)),
        ("10.30", time(10, 30)),
        ("9", time(9)),
        ("14:00 Uhr", time(14)),
        ("10:15:00", time(10, 15)),
        (0.5, time(12)),
        (time(8, 45), time(8, 45)),
    ],
)
def test_times(cell, expected):
    assert parse_time(cell) == expected


@pytest.mark.parametrize("cell", ["25:00", "10:61", "zehn", "", True])
def test_bad_times(cell):
    with pytest.raises(ValueError):
        parse_time(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1.234", 1234), ("12", 12), ("12,0", 12), (" 1 234 ", 1234), (7.0, 7), (3, 3)],
)
def test_counts(cell, expected):
    assert parse_count(cell, maximum=10**6) == expected


@pytest.mark.parametrize("cell", ["-1", "1,5", "12.5", 2.5, "viele", "1.23", True])
def test_bad_counts(cell):
    with pytest.raises(ValueError):
        parse_count(cell, maximum=10**6)


def test_streets_in_several_spellings_are_one():
    assert street_key("Hauptstr. 5") == street_key("hauptstraße  5")
    assert street_key("Hauptstraße 5") == street_key("Hauptstrasse 5")


def test_the_separator_is_found_from_the_header():
    table = read_table(b"a,b;c;d\n1,2;3;4\n", max_rows=10)
    assert table.header == ["a,b", "c", "d"]


def test_too_many_rows():
    with pytest.raises(FileProblem):
        read_table(b"a;b\n" + b"1;2\n" * 11, max_rows=10)
