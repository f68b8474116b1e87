import pytest

from feedback.csv_export import csv_response, guard, to_csv


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example","Klick")',
        "+49 7231 123",
        "-1+2",
        "@SUM(A1)",
        "\tTab",
        "\rReturn",
    ],
)
def test_cells_that_look_like_formulas_get_a_leading_apostrophe(cell):
    assert guard(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Gute Beratung", "4,50", "", "Preis = gut"])
def test_ordinary_cells_stay_as_they_are(cell):
    assert guard(cell) == cell


def test_none_becomes_an_empty_cell_and_numbers_text():
    assert guard(None) == ""
    assert guard(12) == "12"


def test_file_has_bom_semicolons_crlf_and_quotes_where_needed():
    text = to_csv(["Ort", "Wert"], [["Oststadt; Quartierswerkstatt", "3,5"], ["A", 2]])
    assert text == ('\ufeffOrt;Wert\r\n"Oststadt; Quartierswerkstatt";3,5\r\nA;2\r\n')


def test_a_hyperlink_comment_is_guarded_in_the_file():
    text = to_csv(["Kommentar"], [['=HYPERLINK("http://evil.example";"Klick")']])
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://evil.example"";""Klick"")"'


def test_the_header_is_guarded_too():
    assert to_csv(["=1+1"], []) == "\ufeff'=1+1\r\n"


def test_response_is_an_utf8_attachment_with_bom():
    response = csv_response("orte.csv", ["Ort"], [["Brötzinger Tal"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="orte.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig") == "Ort\r\nBrötzinger Tal\r\n"
