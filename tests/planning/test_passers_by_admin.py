"""The passers-by counts in the admin: list, filters, rate per hour, who counted."""

from datetime import date

import pytest

from planning.models import PassersByCount
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/planning/passersbycount/"


def make(location, **fields):
    values = {"date": date(2026, 5, 4), "hour": 10, "minutes": 15, "count": 30}
    return PassersByCount.objects.create(location=location, **{**values, **fields})


def test_the_list_shows_the_rate_per_hour_in_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    staff_client.get(LIST)
    for n in range(3):
        make(LocationFactory(name=f"Platz {n}"), count=30 + n)
    with django_assert_max_num_queries(14):
        first = staff_client.get(LIST)
    for n in range(3, 20):
        make(LocationFactory(name=f"Platz {n}"), hour=n, minutes=60, source="counter")
    with django_assert_max_num_queries(14):
        response = staff_client.get(LIST)
    assert first.status_code == response.status_code == 200
    html = response.content.decode()
    assert '<td class="field-rate_per_hour">120</td>' in html  # 30 in 15 minutes
    assert "10:00" in html
    assert "Passantenzähler" in html and "vor Ort gezählt" in html


@pytest.mark.parametrize(
    "query",
    ["?source__exact=counter", "?tageszeit=morning", "?tageszeit=evening", "?q=Platz"],
)
def test_filters(staff_client, query):
    place = LocationFactory(name="Platz am Markt")
    make(place, hour=9, source="counter")
    make(place, hour=19)
    response = staff_client.get(LIST + query)
    assert response.status_code == 200


def test_the_location_filter_names_places_with_counts(staff_client):
    counted = LocationFactory(name="Gezählter Platz")
    LocationFactory(name="Ungezählter Hof")
    make(counted)
    html = staff_client.get(LIST).content.decode()
    assert "Gezählter Platz" in html and "Ungezählter Hof" not in html
    assert (
        staff_client.get(f"{LIST}?location__id__exact={counted.pk}").status_code == 200
    )


def test_a_count_typed_in_is_counted_by_whoever_typed_it(staff_client, staff_user):
    place = LocationFactory()
    response = staff_client.post(
        LIST + "add/",
        {
            "location": place.pk,
            "date": "04.05.2026",
            "hour": "11",
            "minutes": "15",
            "count": "44",
            "source": "on_site",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    count = PassersByCount.objects.get()
    assert count.counted_by == staff_user
    assert count.per_hour == 176


def test_the_admin_refuses_minutes_beyond_the_hour(staff_client):
    place = LocationFactory()
    response = staff_client.post(
        LIST + "add/",
        {
            "location": place.pk,
            "date": "04.05.2026",
            "hour": "25",
            "minutes": "61",
            "count": "44",
            "source": "on_site",
        },
    )
    assert response.status_code == 200
    assert not PassersByCount.objects.exists()
