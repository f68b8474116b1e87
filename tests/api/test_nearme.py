"""?plz= in the API: the nearest events first, each with distance_km; unknown → 400."""

import pytest

from tests.factories import EventFactory, LocationFactory, next_week_at
from tests.postcodes import ensure_postcode_centres

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _centres():
    ensure_postcode_centres()


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_plz_puts_the_nearest_first_with_its_distance(client, public_data):
    # public_data: Sommerfest at 48.89, 8.71 (Pforzheim); the cancelled date and
    # "Später" at a place without coordinates in 75175 (its centre).
    karlsruhe = LocationFactory(postcode="76133", city="Karlsruhe")
    EventFactory(
        published=True,
        title="Karlsruhe",
        location=karlsruhe,
        start=next_week_at(8),
        end=next_week_at(9),
    )
    found = rows(client.get("/api/v1/events", {"plz": "76133"}))
    assert found[0]["distance_km"] == 0.0
    assert [row["distance_km"] for row in found] == sorted(
        row["distance_km"] for row in found
    )
    assert 25 < found[-1]["distance_km"] < 30
    found = rows(client.get("/api/v1/events", {"plz": "75175"}))
    assert found[-1]["location"]["city"] == "Karlsruhe"
    assert found[0]["distance_km"] < 1


def test_without_plz_there_is_no_distance(client, public_data):
    for row in rows(client.get("/api/v1/events")):
        assert "distance_km" not in row
    for row in rows(client.get("/api/v1/events", {"plz": ""})):
        assert "distance_km" not in row


def test_plz_works_with_past_events_and_other_filters(client, public_data):
    found = rows(
        client.get(
            "/api/v1/events",
            {"plz": "75175", "zeitraum": "vergangen", "bezirk": "oststadt"},
        )
    )
    assert all("distance_km" in row for row in found)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345", "The postcode 12345"),
        ("7517", "five digits"),
        ("751755", "five digits"),
        ("<script>", "five digits"),
        ("' OR 1=1", "five digits"),
    ],
)
def test_a_wrong_plz_is_a_400_that_says_why(client, public_data, value, message):
    response = client.get("/api/v1/events", {"plz": value, "sprache": "en"})
    assert response.status_code == 400
    body = response.json()
    (error,) = body["errors"]
    assert error["parameter"] == "plz"
    assert message in error["message"] or "do not know" in error["message"]


def test_the_unknown_postcode_message_in_german(client, public_data):
    response = client.get("/api/v1/events", {"plz": "12345"})
    assert response.status_code == 400
    assert (
        "Die Postleitzahl 12345 kennen wir nicht"
        in (response.json()["errors"][0]["message"])
    )


def test_plz_costs_one_query_more_whatever_the_number_of_events(
    client, public_data, django_assert_num_queries
):
    # The host's Jobcenter (once a minute) and each event's stored JSON.
    client.get("/api/v1/events", {"pro_seite": "100"})
    with django_assert_num_queries(3):
        client.get("/api/v1/events", {"pro_seite": "100"})
    # The postcode's centre; the distance is added to the stored JSON.
    with django_assert_num_queries(4):
        assert (
            client.get(
                "/api/v1/events", {"plz": "75175", "pro_seite": "100"}
            ).status_code
            == 200
        )


def test_the_document_describes_plz_and_distance_km(client):
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/events"]["get"]["parameters"]
    assert "plz" in [parameter["name"] for parameter in parameters]
    event = document["components"]["schemas"]["Event"]
    assert "distance_km" in event["properties"]
    assert "distance_km" not in event.get("required", [])
