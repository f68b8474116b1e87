"""A pedestrian counter's file: summed per hour at one location, idempotent."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook

from planning.imports import import_counter, parse_timestamp
from planning.models import PassersByCount
from tests.factories import LocationFactory


def excel_cell(*parts) -> datetime:
    """A date cell of a workbook: Excel knows no time zones."""
    return datetime(*parts)  # noqa: DTZ001


pytestmark = pytest.mark.django_db

HYSTREET = (
    "location;timestamp;weekday;pedestrians count;temperature in ºc;incidents\n"
    "Marktplatz;2024-07-23T10:00:00.000+02:00;Tuesday;412;21;\n"
    "Marktplatz;2024-07-23T11:00:00.000+02:00;Tuesday;1034;22;\n"
    "Marktplatz;2024-07-23T12:00:00.000+02:00;Tuesday;0;22;\n"
)
GERMAN_QUARTERS = (
    "Zeitpunkt,Anzahl\n"
    "23.07.2024 10:00,100\n"
    "23.07.2024 10:15,110\n"
    '23.07.2024 10:30,"1.000"\n'
    "23.07.2024 10:45,90\n"
    "23.07.2024 11:00,5\n"
)


@pytest.fixture
def market():
    return LocationFactory(name="Marktplatz")


def run(text, location, *, dry_run=False):
    data = text if isinstance(text, bytes) else text.encode()
    return import_counter(
        data, location=location, source="zaehler.csv", dry_run=dry_run
    )


def counts(location):
    return {
        (row.date, row.hour): (row.count, row.minutes, row.source)
        for row in PassersByCount.objects.filter(location=location)
    }


def test_a_hystreet_export_gives_one_count_per_hour(market):
    plan = run(HYSTREET, market)

    assert plan.stored, plan.errors
    day = date(2024, 7, 23)
    assert counts(market) == {
        (day, 10): (412, 60, "counter"),
        (day, 11): (1034, 60, "counter"),
        (day, 12): (0, 60, "counter"),
    }


def test_quarter_hours_are_summed_per_hour(market):
    plan = run(GERMAN_QUARTERS, market)
    assert plan.stored, plan.errors
    day = date(2024, 7, 23)
    assert counts(market) == {
        (day, 10): (1300, 60, "counter"),
        (day, 11): (5, 60, "counter"),
    }


def test_utc_time_stamps_are_hours_in_berlin(market):
    run("timestamp;count\n2024-01-15T09:00:00Z;7\n2024-07-15T09:00:00Z;8\n", market)
    assert set(counts(market)) == {(date(2024, 1, 15), 10), (date(2024, 7, 15), 11)}


def test_the_same_file_twice_counts_each_hour_once(market):
    run(HYSTREET, market)
    again = run(HYSTREET, market)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert PassersByCount.objects.count() == 3


def test_a_corrected_file_updates_the_hour(market):
    run(HYSTREET, market)
    plan = run(HYSTREET.replace(";412;", ";415;"), market)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 2)
    assert PassersByCount.objects.get(hour=10).count == 415


def test_counts_made_on_site_are_left_alone(market):
    PassersByCount.objects.create(
        location=market, date=date(2024, 7, 23), hour=10, minutes=15, count=30
    )
    run(HYSTREET, market)
    assert PassersByCount.objects.filter(hour=10).count() == 2


def test_date_and_time_in_two_columns(market):
    plan = run("Datum;Uhrzeit;Passanten\n23.07.2024;10:00;12\n", market)
    assert plan.stored, plan.errors
    assert counts(market) == {(date(2024, 7, 23), 10): (12, 60, "counter")}


def test_an_xlsx_export(market):
    book = Workbook()
    book.active.append(["Zeitpunkt", "Anzahl"])
    book.active.append([excel_cell(2024, 7, 23, 10, 0), 40])
    book.active.append([excel_cell(2024, 7, 23, 10, 30), 2])
    buffer = BytesIO()
    book.save(buffer)
    plan = run(buffer.getvalue(), market)
    assert plan.stored, plan.errors
    assert counts(market) == {(date(2024, 7, 23), 10): (42, 60, "counter")}


def test_bad_rows_are_reported_and_nothing_is_stored(market):
    text = (
        "timestamp;count\n"
        "2024-07-23T10:00:00+02:00;4\n"
        "gestern;4\n"
        "2024-07-23T11:00:00+02:00;-4\n"
        "2024-07-23T10:00:00+02:00;4\n"
        "2024-07-23T12:00:00+02:00;\n"
    )
    plan = run(text, market)
    assert [error.line for error in plan.errors] == [3, 4, 5, 6]
    assert not PassersByCount.objects.exists()


def test_a_file_without_the_columns_is_refused(market):
    plan = run("Ort;Wetter\nMarkt;Sonne\n", market)
    assert [error.line for error in plan.errors] == [1]


def test_the_night_summer_time_ends_has_two_readings_at_two(market):
    text = "timestamp;count\n2024-10-27 02:00;3\n2024-10-27 02:00;4\n"
    plan = run(text, market)
    assert plan.stored, plan.errors
    assert counts(market) == {(date(2024, 10, 27), 2): (7, 60, "counter")}


def test_time_stamps():
    assert parse_timestamp("23.07.2024 10:15")[0].hour == 10
    moment, zoned = parse_timestamp("2024-07-23T08:15:00+00:00")
    assert (moment.hour, zoned) == (10, True)
