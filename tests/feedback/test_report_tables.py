from datetime import date

import pytest
from django.utils import translation

from events.models import Location
from feedback.report_tables import (
    AVG,
    INT,
    SHARE,
    Cell,
    Column,
    Table,
    best_reach_sentence,
    channel_tables,
    display,
    spreadsheet,
    valued_and_weak,
)
from feedback.summaries import ChannelPeriod, ChannelSummary, Figures, LocationRow, Row


def figures(**averages) -> Figures:
    values = {
        "events_held": 1,
        "contacts": 10,
        "feedback": 4,
        "average_overall": 4.0,
        "average_consultation": None,
        "average_material": None,
        "average_location": None,
        "response_rate": 0.4,
        "material_brought": 0,
        "material_handed_out": 0,
        "consultation_helpful_share": None,
        "would_come_again_share": None,
    }
    return Figures(**{**values, **averages})


def location_row(name, per_hour, traffic="medium") -> LocationRow:
    return LocationRow(
        location=Location(name=name),
        events=1,
        event_hours=4.0,
        contacts=int((per_hour or 0) * 4),
        contacts_per_hour=per_hour,
        feedback=0,
        feedback_per_event=0.0,
        average_overall=None,
        average_location=None,
        foot_traffic=traffic,
    )


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def test_valued_aspects_are_those_rated_four_or_better_best_first():
    valued, weak = valued_and_weak(
        figures(average_consultation=4.6, average_material=4.1, average_location=2.9)
    )
    assert [aspect.label for aspect in valued] == [
        "Persönliche Beratung",
        "Infomaterial",
    ]
    assert [aspect.label for aspect in weak] == ["Ort"]
    assert weak[0].text == "2,90"


def test_when_nothing_reaches_four_the_best_aspect_is_still_named_valued():
    valued, weak = valued_and_weak(
        figures(average_consultation=3.5, average_material=3.0, average_location=2.0)
    )
    assert [aspect.average for aspect in valued] == [3.5]
    assert [aspect.average for aspect in weak] == [2.0, 3.0]


def test_unrated_aspects_are_left_out():
    assert valued_and_weak(figures()) == ([], [])
    valued, weak = valued_and_weak(figures(average_location=4.5))
    assert len(valued) == 1 and weak == []


def test_sentence_names_the_location_with_the_best_reach_per_hour():
    rows = [
        location_row("Quartierswerkstatt", 2.5, "low"),
        location_row("Marktplatz", 7.25, "high"),
        location_row("Bibliothek", None),
    ]
    sentence = best_reach_sentence(rows)
    assert sentence.startswith("Marktplatz")
    assert "7,2" in sentence
    assert "hoch" in sentence


def test_sentence_on_a_tie_names_the_first_row():
    rows = [location_row("A-Platz", 3.0), location_row("B-Platz", 3.0)]
    assert best_reach_sentence(rows).startswith("A-Platz")


def test_sentence_without_any_counted_contacts():
    assert "Kein Ort" in best_reach_sentence([location_row("A", None)])
    assert "Kein Ort" in best_reach_sentence([])


def test_sentence_for_a_single_location():
    assert best_reach_sentence([location_row("Marktplatz", 4.0)]).startswith(
        "Nur Marktplatz"
    )


def test_values_are_shown_in_german_and_exported_with_a_decimal_comma():
    assert display(3.456, AVG) == "3,46"
    assert display(0.25, SHARE) == "25,0\u00a0%"
    assert display(None, INT) == "–"
    assert spreadsheet(0.25, SHARE) == "25,0"
    assert spreadsheet(3.5, AVG) == "3,50"
    assert spreadsheet(None, AVG) == ""


def test_values_are_exported_with_a_dot_in_english():
    with translation.override("en"):
        assert spreadsheet(3.5, AVG) == "3.50"


def test_table_rows_for_csv_and_page_with_mixed_kinds():
    table = Table(
        slug="t",
        caption="T",
        columns=[Column("Kennzahl"), Column("Anteil", SHARE), Column("Wert", INT)],
        rows=[["Quote", 0.5, Cell(2.5, AVG)]],
    )
    assert table.csv_header() == ["Kennzahl", "Anteil (%)", "Wert"]
    assert table.csv_rows() == [["Quote", "50,0", "2,50"]]
    cells = table.display_rows[0]
    assert [cell["text"] for cell in cells] == ["Quote", "50,0\u00a0%", "2,50"]
    assert cells[0]["header"] and not cells[1]["header"]


def test_channel_tables_have_one_small_chart_per_channel_on_one_scale():
    counts = {"poster": 3, "passing_by": 6}
    summary = ChannelSummary(
        periods=[ChannelPeriod(date(2024, 7, 1), counts, 9)],
        totals=[
            Row("poster", "Plakat", 3, 1 / 3),
            Row("passing_by", "zufällig", 6, 2 / 3),
        ],
        passing_by_share=2 / 3,
        announced_share=1 / 3,
        word_of_mouth_share=0.0,
    )
    shares, _totals, months = channel_tables(summary)
    assert len(months.charts) == 8
    assert months.csv_rows()[0][0] == "2024-07"
    assert months.csv_rows()[0][-1] == "9"
    assert months.display_rows[0][0]["text"] == "Juli 2024"
    assert shares.csv_rows()[0] == ["Zufällig vorbeigekommen", "66,7"]
