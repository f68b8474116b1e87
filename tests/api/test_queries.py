"""Each API answer runs the same few queries whatever the number of rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api import pieces
from events.models import ServiceOffering
from tests.api.conftest import translate
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

# path: queries (PostgreSQL; SQLite runs the same)
EXPECTED = {
    # the filter form's districts and target groups (one query, which also
    # checks bezirk and zielgruppe), count, the page's ids and versions; each
    # event's JSON is stored (api.pieces)
    "/api/v1/events?pro_seite=100": 3,
    "/api/v1/events?pro_seite=100&bezirk=oststadt&zielgruppe=familien": 3,
    "/api/v1/events?pro_seite=100&zeitraum=vergangen": 3,
    "/api/v1/events?pro_seite=100&sprache=ar": 3,
    # count, page, translations
    "/api/v1/locations?pro_seite=100": 3,
    # count, page, translations, target groups
    "/api/v1/services?pro_seite=100": 4,
    "/api/v1/districts?pro_seite=100": 2,
    "/api/v1/target-groups?pro_seite=100": 2,
    "/api/v1/": 0,
    "/api/v1/openapi.json": 0,
}


def make(count: int) -> None:
    """count events, every other one over, with places, services, groups, texts."""
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    families = TargetGroupFactory(name="Familien", slug="familien")
    services = [
        ServiceOfferingFactory(category=category)
        for category in ServiceOffering.Category.values
    ]
    for n in range(count):
        place = LocationFactory(district=oststadt)
        translate(place, "ar", name=f"مكان {n}")
        start = timezone.now() + timedelta(days=-10 if n % 2 else 10, hours=n)
        event = EventFactory(
            published=True,
            start=start,
            end=start + timedelta(hours=2),
            location=place,
            services=services[: 1 + n % 4],
            target_groups=[families],
        )
        translate(event, "ar", title=f"موعد {n}")


def test_the_same_queries_for_10_and_200_events(client, django_assert_num_queries):
    # 10 events, then 200 (half of them over): 5 and 100 of each period.
    for count, shown in ((10, 5), (190, 100)):
        make(count)
        for path, queries in EXPECTED.items():
            # What a server does once a minute (the host's Jobcenter) is done.
            client.get(path)
            with django_assert_num_queries(queries):
                response = client.get(path)
            assert response.status_code == 200, path
            if "events" in path:
                assert response.json()["count"] == shown, path


def test_a_list_without_stored_pieces_takes_nine_queries(
    client, django_assert_num_queries, monkeypatch
):
    # 10 events, then 200: the same queries when every piece is built.
    for count in (10, 190):
        make(count)
        for number, path in enumerate(p for p in EXPECTED if "events" in p):
            client.get(path)
            # As after a deploy that changed the format: no piece is stored.
            monkeypatch.setattr(pieces, "format_stamp", lambda n=number: f"new{n}")
            # filter choices, count, ids and versions; then for the missing
            # pieces: the events with place and district, translations of
            # events, places, services (+ theirs), target groups
            with django_assert_num_queries(9):
                assert client.get(path).status_code == 200


def test_one_event_takes_six_queries(client, django_assert_num_queries):
    make(3)
    slug = client.get("/api/v1/events").json()["results"][0]["slug"]
    # the event with its place and district, its translations, its place's,
    # its services and theirs, its target groups
    with django_assert_num_queries(6):
        assert client.get(f"/api/v1/events/{slug}").status_code == 200
