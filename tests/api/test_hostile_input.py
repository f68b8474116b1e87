"""Hostile values in every API parameter: a 4xx in JSON, never a server error.

The catalogue of values is the site's (tests/test_hostile_input.py): markup,
SQL, NUL bytes, 10,000 characters, huge numbers, impossible dates, JSON,
header injection. Every one of them is a wrong value for every parameter the
API reads, so each answer must be a 400 that names the parameter.
"""

import json
from urllib.parse import quote

import pytest

from api.params import READ
from tests.test_hostile_input import PAYLOADS

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/events",
    "/api/v1/locations",
    "/api/v1/districts",
    "/api/v1/services",
    "/api/v1/target-groups",
]
PAGING = ("seite", "pro_seite", "sprache")
PARAMETERS = {"/api/v1/events": READ, **dict.fromkeys(LISTS[1:], PAGING)}
PARAMETERS["/api/v1/"] = ("sprache",)


def assert_json_error(response, status: int, where: str) -> dict:
    assert response.status_code == status, f"{where}: {response.status_code}"
    assert response["Content-Type"] == "application/json; charset=utf-8", where
    body = json.loads(response.content)
    assert body["status"] == status, where
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies, where
    return body


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("path", PARAMETERS)
def test_every_parameter_refuses_hostile_values(client, public_data, path, payload):
    for name in PARAMETERS[path]:
        body = assert_json_error(
            client.get(path, {name: payload}), 400, f"{path}?{name}"
        )
        assert name in [error["parameter"] for error in body["errors"]]
        # Repeated: a good value first, then the hostile one (the last counts).
        assert_json_error(
            client.get(path, {name: ["1", payload]}), 400, f"{path}?{name} twice"
        )
    body = assert_json_error(
        client.get(path, dict.fromkeys(PARAMETERS[path], payload)),
        400,
        f"{path} with every parameter",
    )


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_slugs_are_not_found(client, public_data, payload):
    path = f"/api/v1/events/{quote(payload, safe='')}"
    assert_json_error(client.get(path), 404, path)


def test_unknown_parameters_and_headers_are_ignored(client, public_data):
    hostile = {f"x{n}": payload for n, payload in enumerate(PAYLOADS.values())}
    hostile.update({payload[:100]: "1" for payload in PAYLOADS.values()})
    for path in [*LISTS, "/api/v1/", "/api/v1/openapi.json"]:
        response = client.get(path, hostile)
        assert response.status_code == 200, path
    for payload in PAYLOADS.values():
        header = payload.replace("\r\n", " ").replace("\x00", "")
        response = client.get("/api/v1/events", HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code == 200
        assert response["Content-Language"] == "de"


@pytest.mark.parametrize(
    "value", ["1", "true", "[]", "{}", "1.5", "-0", "0x10", "１", "+1", " 2"]
)
def test_wrong_types_are_refused(client, public_data, value):
    """Numbers where text belongs and the other way round, in every parameter."""
    for name in READ:
        if name in ("seite", "pro_seite") and value == "1":
            continue
        response = client.get("/api/v1/events", {name: value})
        assert_json_error(response, 400, f"{name}={value!r}")
