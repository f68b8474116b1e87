"""The planning panel: its endpoint and the event admin's add and change pages."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope
from planning.models import SchoolHoliday
from tests.accounts import force_login_verified
from tests.factories import DistrictFactory, EventFactory, LocationFactory
from tests.planning.panel_helpers import (
    MARKET,
    at,
    history,
    north_of,
    place,
    quiet_week,
)

pytestmark = pytest.mark.django_db

PANEL = "/admin/events/event/planung/"
ADD = "/admin/events/event/add/"


def split(moment) -> dict:
    from django.utils import timezone

    local = timezone.localtime(moment)
    return {"0": local.strftime("%d.%m.%Y"), "1": local.strftime("%H:%M")}


def params(location, start, end, **extra) -> str:
    s, e = split(start), split(end)
    data = {
        "location": getattr(location, "pk", location),
        "start_0": s["0"],
        "start_1": s["1"],
        "end_0": e["0"],
        "end_1": e["1"],
        **extra,
    }
    return f"{PANEL}?{urlencode(data)}"


@pytest.fixture
def tuesday(jobcenter):
    jobcenter.state = "BW"
    return quiet_week() + timedelta(days=1)


@pytest.fixture
def courtyard_and_market(tuesday):
    courtyard = place(DistrictFactory(), at=MARKET, name="Stiller Hof")
    market = place(DistrictFactory(), at=north_of(MARKET, 0.4), name="Marktplatz")
    history(courtyard, [6, 8, 10, 7, 9], before=tuesday)
    history(market, [30, 35, 28, 32], before=tuesday)
    return courtyard, market


def test_the_panel_shows_estimate_warnings_and_alternatives(
    staff_client, tuesday, courtyard_and_market
):
    courtyard, market = courtyard_and_market
    response = staff_client.get(params(courtyard, at(tuesday, 10), at(tuesday, 14)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "erwartet" in html and "Gespräche" in html
    assert "Marktplatz" in html
    assert f'data-location="{market.pk}"' in html
    assert f'data-start-0="{tuesday:%d.%m.%Y}"' in html
    assert 'data-start-1="10:00:00"' in html
    assert 'data-end-1="14:00:00"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_panel_shows_a_holiday_and_school_holidays(staff_client, jobcenter):
    jobcenter.state = "BW"
    location = place()
    SchoolHoliday.objects.create(
        state="BW",
        name="Herbstferien 2030",
        first_day=date(2030, 9, 30),
        last_day=date(2030, 10, 5),
    )
    day = date(2030, 10, 3)
    html = staff_client.get(params(location, at(day, 10), at(day, 14))).content.decode()
    assert "Tag der Deutschen Einheit" in html
    assert "Herbstferien 2030" in html
    assert 'data-kind="new_place"' in html
    assert "Hier fand noch kein Termin statt" in html


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"location": "abc"}, "Ort"),
        ({"location": "99999999999999"}, "Ort"),
        ({"start_0": "31.02.2027"}, "Beginn"),
        ({"start_1": "25:00"}, "Beginn"),
        ({"end_0": ""}, "Ende"),
        ({"end_1": "09:00"}, "Ende"),  # before the start
        ({"event": "-3"}, "Veranstaltung"),
        ({"start_0": "<script>alert(1)</script>"}, "Beginn"),
    ],
)
def test_bad_parameters_answer_400_with_the_reason(
    staff_client, tuesday, change, problem
):
    location = place()
    url = params(location, at(tuesday, 10), at(tuesday, 14))
    query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
    from urllib.parse import unquote_plus

    query = {key: unquote_plus(value) for key, value in query.items()}
    query.update(change)
    response = staff_client.get(f"{PANEL}?{urlencode(query)}")
    assert response.status_code == 400
    text = response.content.decode()
    assert problem in text
    assert "<script>" not in text


def test_a_week_long_date_is_refused(staff_client, tuesday):
    response = staff_client.get(
        params(place(), at(tuesday, 10), at(tuesday + timedelta(days=8), 10))
    )
    assert response.status_code == 400


def test_an_iso_start_and_end_work_too(staff_client, tuesday):
    location = place()
    start, end = at(tuesday, 10), at(tuesday, 14)
    query = urlencode(
        {
            "location": location.pk,
            "start": f"{tuesday}T10:00",
            "end": f"{tuesday}T14:00",
        }
    )
    response = staff_client.get(f"{PANEL}?{query}")
    assert response.status_code == 200, response.content
    assert start < end


def test_another_jobcenters_place_or_event_is_not_found(
    staff_client, tuesday, jobcenter
):
    other = Jobcenter.objects.create(name="Jobcenter B", slug="jobcenter-b")
    with jobcenter_scope(other):
        foreign = LocationFactory(
            district=DistrictFactory(name="B-Stadt", slug="b-stadt")
        )
        foreign_event = EventFactory(location=foreign)
    assert (
        staff_client.get(
            params(foreign.pk, at(tuesday, 10), at(tuesday, 14))
        ).status_code
        == 404
    )
    mine = place()
    response = staff_client.get(
        params(mine, at(tuesday, 10), at(tuesday, 14), event=foreign_event.pk)
    )
    assert response.status_code == 404


def test_who_may_ask(staff_user, coordinator, tuesday):
    url = params(place(), at(tuesday, 10), at(tuesday, 14))
    assert Client().get(url).status_code == 302  # to the login page
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 405
    coordination = Client()
    force_login_verified(coordination, coordinator)
    assert coordination.get(url).status_code == 403  # may only view events


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_endpoint_keeps_a_fixed_number_of_queries(staff_client, tuesday):
    district = DistrictFactory()
    courtyard = place(district)
    history(courtyard, [5], before=tuesday)
    url = params(courtyard, at(tuesday, 10), at(tuesday, 14))
    for _ in range(15):
        history(place(district), [20], before=tuesday)
    few = count_queries(staff_client, url)
    for _ in range(30):
        other = place(district)
        history(other, [20], before=tuesday)
        EventFactory(location=other, start=at(tuesday, 8), end=at(tuesday, 9))
    assert count_queries(staff_client, url) == few


def test_the_add_page_has_the_panel_waiting_for_values(
    staff_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = staff_client.get(ADD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="planning-panel"' in html
    assert f'data-url="{PANEL}"' in html
    assert "js/planning-panel.js" in html
    assert "Wählen Sie einen Ort" in html or "Choose a place" in html
    # Beside "When and where": after the end field, before the description.
    assert (
        html.index('name="end_1"')
        < html.index('id="planning-panel"')
        < html.index('name="description"')
    )


def test_the_change_page_shows_the_panel_for_the_saved_values(
    staff_client, tuesday, courtyard_and_market
):
    courtyard, _market = courtyard_and_market
    event = EventFactory(location=courtyard, start=at(tuesday, 10), end=at(tuesday, 14))
    url = f"/admin/events/event/{event.pk}/change/"
    # Beyond the places considered (the nearest twelve), more cost nothing.
    farther = north_of(MARKET, 1)
    for _ in range(15):
        history(place(courtyard.district, at=farther), [3], before=tuesday)
    count_queries(staff_client, url)  # the first request fills caches
    few = count_queries(staff_client, url)
    for _ in range(20):
        history(place(courtyard.district, at=farther), [3], before=tuesday)
    # After a change the history's version is read once more (then cached).
    assert count_queries(staff_client, url) <= few + 1
    assert count_queries(staff_client, url) == few
    html = staff_client.get(url).content.decode()
    assert f'data-event="{event.pk}"' in html
    assert "Marktplatz" in html
    assert "erwartet" in html
    # The event does not overlap itself.
    assert 'data-kind="overlap"' not in html


def test_the_change_page_without_place_or_time_still_works(staff_client):
    event = EventFactory()
    response = staff_client.get(f"/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200


def test_a_form_sent_back_with_errors_leaves_the_panel_to_the_script(staff_client):
    event = EventFactory()
    response = staff_client.post(
        f"/admin/events/event/{event.pk}/change/", {"title_de": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="planning-panel"' in html
    assert "planning-estimate" not in html
