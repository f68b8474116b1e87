"""What every API answer carries: CORS, ETag/304, caching, methods, no cookies."""

import json

import pytest
from django.test import Client

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/",
    "/api/v1/events",
    "/api/v1/events?bezirk=nix",  # an error
    "/api/v1/locations",
    "/api/v1/districts",
    "/api/v1/services",
    "/api/v1/target-groups",
    "/api/v1/openapi.json",
    "/api/v1/nichts",  # a 404
]


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_is_json_for_any_origin_with_an_etag(client, public_data, path):
    response = client.get(path, HTTP_ORIGIN="https://partner.example.org")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    json.loads(response.content)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "public, max-age=60"
    assert not response.cookies
    # The site's strict policy is sent along; it does not touch JSON.
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_matching_etag_gets_a_304_that_a_partner_site_may_read(client, public_data):
    first = client.get("/api/v1/events")
    again = client.get("/api/v1/events", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    other = client.get("/api/v1/events", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_a_change_changes_the_etag(client, public_data):
    before = client.get("/api/v1/events")["ETag"]
    EventFactory(published=True, title="Neu")
    after = client.get("/api/v1/events", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_each_language_has_its_own_etag(client, public_data):
    german = client.get("/api/v1/events")["ETag"]
    english = client.get("/api/v1/events?sprache=en")["ETag"]
    assert german != english


def test_head_is_get_without_the_body(client, public_data):
    get = client.get("/api/v1/events")
    head = client.head("/api/v1/events")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))
    assert head["Access-Control-Allow-Origin"] == "*"
    assert client.head(
        "/api/v1/events", HTTP_IF_NONE_MATCH=get["ETag"]
    ).status_code == (304)


def test_a_preflight_allows_reading_only(client, db):
    response = client.options(
        "/api/v1/events",
        HTTP_ORIGIN="https://partner.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nothing_can_be_written_and_no_csrf_token_is_asked_for(db, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        "/api/v1/events", data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["status"] == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies


def test_no_cookie_even_for_staff(staff_client, public_data):
    response = staff_client.get("/api/v1/events")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies
    # Staff see what everyone sees: no drafts.
    assert b"GEHEIM" not in response.content


def test_answers_come_from_the_public_cache_until_something_changes(
    client,
    public_data,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    settings.PUBLIC_CACHE_SECONDS = 60
    first = client.get("/api/v1/events")
    with django_assert_num_queries(0):
        again = client.get("/api/v1/events?unbekannt=1")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/events?sprache=en").content != first.content
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(published=True, title="Neu veröffentlicht")
    assert "Neu veröffentlicht" in client.get("/api/v1/events").content.decode()


def test_the_openapi_document_and_no_docs_page(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == {
        "/api/v1/",
        "/api/v1/events",
        "/api/v1/events/{slug}",
        "/api/v1/locations",
        "/api/v1/districts",
        "/api/v1/services",
        "/api/v1/target-groups",
    }
    events = document["paths"]["/api/v1/events"]["get"]
    names = [parameter["name"] for parameter in events["parameters"]]
    assert names == [
        "bezirk",
        "angebot",
        "zielgruppe",
        "von",
        "bis",
        "plz",
        "zeitraum",
        "seite",
        "pro_seite",
        "sprache",
    ]
    # No Swagger UI or anything else loaded from another host.
    text = json.dumps(document)
    assert "cdn" not in text.lower()
    assert client.get("/api/v1/docs").status_code == 404


def test_past_the_build_budget_the_api_refuses_in_json(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    settings.PUBLIC_BUILD_BUDGET = 2
    settings.PUBLIC_BUILD_WINDOW_SECONDS = 60
    for page in (1, 2):
        assert client.get(f"/api/v1/events?seite={page}").status_code in (200, 400)
    refused = client.get("/api/v1/events?seite=3")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["status"] == 429
    assert refused["Access-Control-Allow-Origin"] == "*"
