"""A host's API shows only its own Jobcenter's rows (JobcenterMiddleware's scope).

tests/jobcenters/test_isolation.py walks every URL pattern, the API's
included, with B's identifiers on A's host; this adds what only the API has:
its lists, filters naming B's rows, and the addresses it prints.
"""

import pytest
from django.test import Client

from jobcenters.hosts import forget_all
from jobcenters.models import Host, Jobcenter
from jobcenters.scoping import jobcenter_scope
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

HOST_A, HOST_B = "a.testserver", "b.testserver"
LISTS = (
    "/api/v1/events",
    "/api/v1/events?zeitraum=vergangen",
    "/api/v1/locations",
    "/api/v1/districts",
    "/api/v1/services",
    "/api/v1/target-groups",
)


def world(prefix: str) -> dict:
    district = DistrictFactory(name=f"{prefix} Bezirk", slug=f"{prefix}-bezirk")
    group = TargetGroupFactory(name=f"{prefix} Gruppe", slug=f"{prefix}-gruppe")
    service = ServiceOfferingFactory(title=f"{prefix} Angebot")
    place = LocationFactory(name=f"{prefix} Ort", district=district)
    event = EventFactory(
        published=True,
        title=f"{prefix} Termin",
        location=place,
        services=[service],
        target_groups=[group],
    )
    return {"district": district, "group": group, "event": event}


@pytest.fixture
def two(jobcenter):
    Host.objects.get_or_create(jobcenter=jobcenter, name=HOST_A)
    b = Jobcenter.objects.create(name="Jobcenter B", slug="jobcenter-b")
    Host.objects.create(jobcenter=b, name=HOST_B, is_primary=True)
    forget_all()
    a_rows = world("AAA")
    with jobcenter_scope(b):
        b_rows = world("BBB")
    return a_rows, b_rows


def test_each_host_lists_only_its_own_rows(two):
    client_a, client_b = Client(HTTP_HOST=HOST_A), Client(HTTP_HOST=HOST_B)
    for path in LISTS:
        on_a, on_b = client_a.get(path), client_b.get(path)
        assert on_a.status_code == on_b.status_code == 200, path
        assert b"BBB" not in on_a.content, path
        assert b"AAA" not in on_b.content, path
    assert b"BBB Termin" in client_b.get("/api/v1/events").content


def test_b_rows_named_on_a_host_are_not_found(two):
    _a_rows, b_rows = two
    client = Client(HTTP_HOST=HOST_A)
    response = client.get(f"/api/v1/events/{b_rows['event'].slug}")
    assert response.status_code == 404
    for query in (
        f"bezirk={b_rows['district'].slug}",
        f"zielgruppe={b_rows['group'].slug}",
    ):
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code == 400, query
        assert b"BBB" not in response.content


def test_addresses_are_the_host_jobcenter_s(two, settings):
    settings.SITE_URL = "https://quartier.example.org"
    _a_rows, b_rows = two
    data = Client(HTTP_HOST=HOST_B).get(f"/api/v1/events/{b_rows['event'].slug}")
    assert data.json()["url"].startswith(f"https://{HOST_B}/veranstaltungen/")
    index = Client(HTTP_HOST=HOST_B).get("/api/v1/").json()
    assert index["events"] == f"https://{HOST_B}/api/v1/events"


def test_an_unknown_host_gets_no_api(two):
    client = Client(HTTP_HOST="c.testserver", raise_request_exception=False)
    response = client.get("/api/v1/events")
    assert response.status_code == 404
