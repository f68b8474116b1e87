"""The on-site count of passers-by (/team/passanten/): who, what is stored, bad input."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from jobcenters.scoping import jobcenter_scope
from planning.models import PassersByCount
from tests.factories import EventFactory, LocationFactory
from tests.multi import second_jobcenter

pytestmark = pytest.mark.django_db

URL = "/team/passanten/"


@pytest.fixture
def place():
    return LocationFactory(name="Leopoldplatz")


def post(client, place, **changes):
    today = timezone.localdate()
    data = {
        "location": place.pk,
        "date": today.isoformat(),
        "hour": "10",
        "minutes": "15",
        "count": "37",
        **changes,
    }
    return client.post(URL, data)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_see_the_page_with_today_s_event_place_chosen(
    staff_client, django_assert_max_num_queries
):
    LocationFactory.create_batch(3)
    day = timezone.localdate()
    event = EventFactory(
        published=True,
        start=timezone.make_aware(datetime.combine(day, time(0, 5))),
        end=timezone.make_aware(datetime.combine(day, time(23, 55))),
    )
    PassersByCount.objects.create(
        location=event.location, date=day, hour=9, count=20, minutes=15
    )
    with django_assert_max_num_queries(12):
        response = staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{event.location.pk}" selected>' in html
    assert 'name="minutes"' in html and 'value="15"' in html
    assert "js/passers-by.js" in html
    # A date input takes ISO dates only, whatever the language.
    assert f'type="date" name="date" value="{day.isoformat()}"' in html
    assert 'aria-live="polite"' in html
    assert "20 in 15 Minuten" in html


def test_the_query_count_does_not_grow_with_places_or_counts(
    staff_client, django_assert_max_num_queries
):
    staff_client.get(URL)  # sessions, permissions: warm
    places = LocationFactory.create_batch(20)
    day = timezone.localdate()
    for n, location in enumerate(places):
        PassersByCount.objects.create(
            location=location, date=day, hour=n % 24, count=n, minutes=15
        )
    with django_assert_max_num_queries(12):
        assert staff_client.get(URL).status_code == 200


def test_a_count_is_saved_as_counted_on_site_by_the_user(
    staff_client, staff_user, place
):
    response = post(staff_client, place)
    assert response.status_code == 302
    assert response["Location"] == URL
    count = PassersByCount.objects.get()
    assert (count.location, count.hour, count.minutes, count.count) == (
        place,
        10,
        15,
        37,
    )
    assert count.source == PassersByCount.Source.ON_SITE
    assert count.counted_by == staff_user
    assert count.date == timezone.localdate()
    page = staff_client.get(URL).content.decode()
    assert "Gespeichert: 37 Passant*innen in 15 Minuten" in page
    assert "148 pro Stunde" in page


def test_a_short_count_keeps_its_minutes(staff_client, place):
    assert post(staff_client, place, minutes="7", count="12").status_code == 302
    assert PassersByCount.objects.get().per_hour == pytest.approx(12 * 60 / 7)


def test_coordinators_only_read(coordinator_client, place):
    # As with the contact count on /team/: staff count, Koordination reads.
    assert coordinator_client.get(URL).status_code == 403
    assert post(coordinator_client, place).status_code == 403
    assert not PassersByCount.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"count": "-1"},
        {"count": ""},
        {"count": "zwölf"},
        {"count": "99999999"},
        {"minutes": "0"},
        {"minutes": "61"},
        {"minutes": "1.5"},
        {"hour": "24"},
        {"hour": "-1"},
        {"date": "morgen"},
        {"location": ""},
        {"location": "999999"},
        {"location": "<script>alert(1)</script>"},
    ],
)
def test_bad_input_is_a_form_error_and_stores_nothing(staff_client, place, changes):
    response = post(staff_client, place, **changes)
    assert response.status_code == 400
    assert b'id="form-errors"' in response.content
    assert b"<script>alert(1)</script>" not in response.content
    assert not PassersByCount.objects.exists()


def test_future_and_old_dates_are_refused(staff_client, place):
    today = timezone.localdate()
    for day in (today + timedelta(days=1), today - timedelta(days=8)):
        response = post(staff_client, place, date=day.isoformat())
        assert response.status_code == 400
    assert (
        post(
            staff_client, place, date=(today - timedelta(days=2)).isoformat()
        ).status_code
        == 302
    )


def test_a_place_of_another_jobcenter_cannot_be_chosen(staff_client, place):
    other = second_jobcenter()
    with jobcenter_scope(other):
        foreign = LocationFactory(name="Anderswo")
    response = post(staff_client, place, location=str(foreign.pk))
    assert response.status_code == 400
    assert "Anderswo" not in response.content.decode()
    assert not PassersByCount.objects.exists()
    with jobcenter_scope(other):
        assert not PassersByCount.objects.exists()


def test_place_names_are_escaped(staff_client):
    LocationFactory(name='<img src=x onerror="alert(1)">')
    html = staff_client.get(URL).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_other_methods_are_refused(staff_client):
    assert staff_client.put(URL).status_code == 405
    assert staff_client.delete(URL).status_code == 405


def test_the_team_page_links_to_the_count(staff_client):
    html = staff_client.get("/team/").content.decode()
    assert f'href="{URL}"' in html
