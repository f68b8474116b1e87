"""The coordinators' planning page and the channel report page."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from planning import estimates, selectors
from planning.models import Announcement, PastDate
from tests.accounts import force_login_verified
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
)
from tests.feedback.test_reports_views import days_ago, held_event

pytestmark = pytest.mark.django_db

PAGE = "/auswertung/planung/"
CHANNELS = "/auswertung/planung/kanaele/"
# The page's queries whatever the number of coming dates: 13 of its own (the
# session, user and permissions included) and, for each of at most
# PLANNING_PAGE_ALTERNATIVES flagged dates, the alternatives' lookup
# (ALTERNATIVE_QUERIES: what planning.alternatives costs for one date: its
# places, its estimates in one batch, the district's other dates).
OWN_QUERIES = 13
ALTERNATIVE_QUERIES = 5
LOOKED_UP = 3
MAX_QUERIES = OWN_QUERIES + LOOKED_UP * ALTERNATIVE_QUERIES


def past_dates(location, contacts: list[int], first_days_ago: int = 100):
    for index, count in enumerate(contacts):
        start = days_ago(first_days_ago - index * 7)
        PastDate.objects.create(
            location=location,
            start=start,
            end=start + timedelta(hours=3),
            contacts=count,
        )


@pytest.fixture
def places():
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    weststadt = DistrictFactory(name="Weststadt", slug="weststadt")
    DistrictFactory(name="Nordstadt", slug="nordstadt")
    hof = LocationFactory(name="Stiller Innenhof", district=oststadt)
    markt = LocationFactory(name="Marktplatz Ost", district=oststadt)
    park = LocationFactory(name="Westpark", district=weststadt)
    past_dates(hof, [2, 3, 4, 3, 2])
    past_dates(markt, [30, 34, 28, 32, 31])
    past_dates(park, [12], first_days_ago=200)
    held_event(10, markt, title="Markttag")
    # What the worker does after a change to the history.
    estimates.store_fit()
    return {"hof": hof, "markt": markt, "park": park, "weststadt": weststadt}


def coming(location, days: int, **kwargs):
    start = timezone.now() + timedelta(days=days)
    return EventFactory(
        location=location, start=start, end=start + timedelta(hours=3), **kwargs
    )


def test_only_coordinators_see_the_pages(staff_user, coordinator):
    anonymous, staff, coordinating = Client(), Client(), Client()
    staff.force_login(staff_user)
    force_login_verified(coordinating, coordinator)
    for url in (PAGE, CHANNELS):
        assert anonymous.get(url).status_code == 302
        assert staff.get(url).status_code == 403
        response = coordinating.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]


def test_a_low_date_is_flagged_with_its_better_alternative(places, coordinator_client):
    quiet = coming(places["hof"], 5, title="Dienstag im Hof")
    busy = coming(places["markt"], 6, title="Donnerstag am Markt", published=True)
    response = coordinator_client.get(PAGE)
    assert response.status_code == 200
    rows = {row.event: row for row in response.context["data"].coming}
    assert rows[quiet].low_reach and not rows[busy].low_reach
    assert rows[quiet].alternative.location == places["markt"]
    low = response.context["low"]
    assert [row.event for row in low] == [quiet]
    content = response.content.decode()
    section = content[
        content.index('id="low-heading"') : content.index('id="coming-heading"')
    ]
    assert "Dienstag im Hof" in section and "Donnerstag am Markt" not in section
    assert "Besser: Marktplatz Ost" in section
    assert rows[quiet].estimate.range_label in section
    assert "Donnerstag am Markt" in content  # in the table of all coming dates


def test_cancelled_and_past_dates_are_not_coming(places, coordinator_client):
    coming(places["hof"], 5, title="Abgesagt", cancelled=True)
    response = coordinator_client.get(PAGE)
    titles = [row.event.title for row in response.context["data"].coming]
    assert "Abgesagt" not in titles and "Markttag" not in titles


def test_districts_without_a_date_for_a_long_time(places, coordinator_client, settings):
    settings.PLANNING_DISTRICT_GAP_DAYS = 90
    coming(places["park"], 12, title="Wieder im Westpark")
    rows = selectors.quiet_districts()
    assert [(row.district.name, row.next_date is None) for row in rows] == [
        ("Nordstadt", True),
        ("Weststadt", False),
    ]
    assert rows[0].last_date is None
    assert rows[1].last_date.date() == days_ago(200).date()
    content = coordinator_client.get(PAGE).content.decode()
    table = content[content.index('id="table-bezirke"') :]
    assert "Nordstadt" in table and "keiner geplant" in table
    assert "Oststadt" not in table[: table.index("</table>")]


def test_the_model_accuracy_per_month(places, coordinator_client, monkeypatch):
    monkeypatch.setattr(
        selectors,
        "accuracy_by_month",
        lambda: [
            (date(2026, 10, 1), 6, 3.25, 0.8333),
            (date(2026, 11, 1), 4, 5.0, 0.75),
        ],
    )
    content = coordinator_client.get(PAGE).content.decode()
    table = content[content.index('id="table-genauigkeit"') :]
    assert "Oktober 2026" in table and "3,2" in table and "83,3" in table


def test_queries_do_not_grow_with_the_coming_dates(
    places, coordinator_client, django_assert_max_num_queries, settings
):
    settings.PLANNING_PAGE_ALTERNATIVES = LOOKED_UP
    for days in range(3):
        coming(places["hof"], days + 1)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert coordinator_client.get(PAGE).status_code == 200
    for days in range(27):
        coming(places["hof"], days + 5)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = coordinator_client.get(PAGE)
    rows = response.context["data"].coming
    assert len(rows) == 30 and all(row.low_reach for row in rows)
    assert sum(row.alternatives_looked_up for row in rows) == LOOKED_UP
    assert "siehe Planungshilfe des Termins" in response.content.decode()


def test_the_planning_page_threshold_is_a_setting(places, coordinator_client, settings):
    coming(places["markt"], 6)
    settings.PLANNING_LOW_REACH_THRESHOLD = 100
    response = coordinator_client.get(PAGE)
    assert all(row.low_reach for row in response.context["data"].coming)
    assert "weniger als 100" in response.content.decode()


def test_csv_downloads(places, coordinator_client):
    coming(places["hof"], 5, title="Dienstag im Hof")
    response = coordinator_client.get(PAGE, {"format": "csv", "tabelle": "termine"})
    assert response.status_code == 200
    assert "Dienstag im Hof" in response.content.decode("utf-8-sig")
    response = coordinator_client.get(CHANNELS, {"format": "csv", "tabelle": "kanaele"})
    assert response.status_code == 200
    assert coordinator_client.get(PAGE, {"format": "csv"}).status_code == 404


def test_the_channel_page_shows_the_report(places, coordinator_client):
    markttag = held_event(20, places["markt"], title="Plakattag")
    Announcement.objects.create(
        event=markttag,
        channel="poster",
        planned_for=timezone.localdate() - timedelta(days=30),
        done_on=timezone.localdate() - timedelta(days=30),
        quantity=15,
        details="Supermarkt <b>Ost</b>",
    )
    response = coordinator_client.get(CHANNELS)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Supermarkt &lt;b&gt;Ost&lt;/b&gt;" in content
    assert 'id="table-kanaele"' in content and 'id="table-orte"' in content
    assert "Plakate" in content


HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 5000,
    "\x00",
    "%00",
    "../../etc/passwd",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_parameters_are_harmless(places, coordinator_client, payload):
    for url in (PAGE, CHANNELS):
        for name in (
            "format",
            "tabelle",
            "druck",
            "von",
            "bis",
            "bezirk",
            "ort",
            "angebot",
        ):
            response = coordinator_client.get(url, {name: payload})
            assert response.status_code in (200, 400, 404), (url, name)
            assert b"<script>alert(1)" not in response.content
        response = coordinator_client.get(url, {"format": "csv", "tabelle": payload})
        assert response.status_code in (400, 404)
