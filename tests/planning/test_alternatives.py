"""Alternatives to a planned date: busier places nearby, better times this week."""

from datetime import timedelta

import pytest

from planning.alternatives import alternatives, planned_and_alternatives, week_slots
from planning.panel import form_values
from tests.factories import DistrictFactory, EventFactory
from tests.planning.panel_helpers import (
    MARKET,
    at,
    history,
    north_of,
    place,
    quiet_week,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuesday(jobcenter):
    jobcenter.state = "BW"
    return quiet_week() + timedelta(days=1)


def test_a_busier_place_nearby_is_offered(tuesday):
    district = DistrictFactory()
    courtyard = place(district, at=MARKET)
    market = place(DistrictFactory(), at=north_of(MARKET, 0.4))  # 400 m, other district
    history(courtyard, [6, 8, 10, 7, 9], before=tuesday)
    history(market, [30, 35, 28, 32], before=tuesday)
    found = alternatives(courtyard, at(tuesday, 10), at(tuesday, 14))
    assert [a.location for a in found] == [market]
    best = found[0]
    assert best.estimate.expected > 20
    assert best.start == at(tuesday, 10) and best.end == at(tuesday, 14)
    assert best.distance_km == pytest.approx(0.4, abs=0.01)
    assert "400 m" in best.reason


def test_a_farther_place_in_another_district_is_not(tuesday, settings):
    settings.PLANNING_ALTERNATIVE_RADIUS_KM = 1.5
    courtyard = place(DistrictFactory(), at=MARKET)
    far = place(DistrictFactory(), at=north_of(MARKET, 3))
    history(courtyard, [6, 8], before=tuesday)
    history(far, [40, 45], before=tuesday)
    assert alternatives(courtyard, at(tuesday, 10), at(tuesday, 14)) == []
    settings.PLANNING_ALTERNATIVE_RADIUS_KM = 5
    assert [
        a.location for a in alternatives(courtyard, at(tuesday, 10), at(tuesday, 14))
    ] == [far]


def test_the_same_district_counts_whatever_the_distance(tuesday):
    district = DistrictFactory()
    courtyard = place(district, at=MARKET)
    far_but_same = place(district, at=north_of(MARKET, 4))
    history(courtyard, [5], before=tuesday)
    history(far_but_same, [25, 30], before=tuesday)
    found = alternatives(courtyard, at(tuesday, 10), at(tuesday, 14))
    assert [a.location for a in found] == [far_but_same]


def test_only_better_ones_at_most_three_best_first_one_per_place(tuesday):
    district = DistrictFactory()
    courtyard = place(district)
    history(courtyard, [10, 10, 10], before=tuesday)
    busier = []
    for contacts in (12, 40, 20, 30, 15):
        other = place(district)
        history(other, [contacts] * 4, before=tuesday)
        busier.append(other)
    quieter = place(district)
    history(quieter, [2, 3], before=tuesday)
    found = alternatives(courtyard, at(tuesday, 10), at(tuesday, 14))
    assert len(found) == 3
    expected = [a.estimate.expected for a in found]
    assert expected == sorted(expected, reverse=True)
    assert [a.location for a in found] == [busier[1], busier[3], busier[2]]
    assert quieter not in [a.location for a in found]


def test_archived_places_are_not_offered(tuesday):
    district = DistrictFactory()
    courtyard = place(district)
    history(place(district, archived=True), [50, 50], before=tuesday)
    history(courtyard, [5], before=tuesday)
    assert alternatives(courtyard, at(tuesday, 10), at(tuesday, 14)) == []


def test_a_place_taken_at_that_time_is_not_offered(tuesday):
    district = DistrictFactory()
    courtyard, market = place(district), place(district)
    history(courtyard, [5], before=tuesday)
    history(market, [30, 30], before=tuesday)
    EventFactory(location=market, start=at(tuesday, 9), end=at(tuesday, 12))
    found = alternatives(courtyard, at(tuesday, 10), at(tuesday, 14))
    assert all(
        not (
            a.location == market
            and a.start < at(tuesday, 12)
            and a.end > at(tuesday, 9)
        )
        for a in found
    )


def test_week_slots_skip_holidays_and_keep_the_week(tuesday):
    slots = week_slots(at(tuesday, 10), at(tuesday, 14), "BW")
    monday = tuesday - timedelta(days=1)
    assert len(slots) == 11  # six days, two slots, not the planned one
    assert all(monday <= s.date() <= monday + timedelta(days=5) for s in slots)
    # 3 October 2030 is a Thursday: no slot then.
    from datetime import date

    thursday = date(2030, 10, 3)
    slots = week_slots(
        at(thursday - timedelta(days=2), 10), at(thursday - timedelta(days=2), 14), "BW"
    )
    assert thursday not in {s.date() for s in slots}


def test_use_this_values_are_what_the_admin_widgets_show(tuesday):
    courtyard = place(DistrictFactory(), at=MARKET)
    market = place(DistrictFactory(), at=north_of(MARKET, 0.4))
    history(courtyard, [5], before=tuesday)
    history(market, [30, 30], before=tuesday)
    (best,) = alternatives(courtyard, at(tuesday, 10), at(tuesday, 13))
    values = form_values(best)
    assert values["location"] == str(market.pk)
    assert values["start_0"] == tuesday.strftime("%d.%m.%Y")
    assert values["start_1"] == "10:00:00"
    assert values["end_0"] == tuesday.strftime("%d.%m.%Y")
    assert values["end_1"] == "13:00:00"


def test_the_planned_estimate_comes_along(tuesday):
    courtyard = place(DistrictFactory())
    history(courtyard, [6, 8, 10, 7, 9], before=tuesday)
    planned, found = planned_and_alternatives(
        courtyard, at(tuesday, 10), at(tuesday, 14)
    )
    assert planned.dates_here == 5
    assert found == []


def test_queries_do_not_grow_with_the_places(tuesday, django_assert_num_queries):
    district = DistrictFactory()
    courtyard = place(district)
    history(courtyard, [5], before=tuesday)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            alternatives(courtyard, at(tuesday, 10), at(tuesday, 14))
        return len(queries)

    for _ in range(15):
        history(place(district), [20], before=tuesday)
    fifteen = count()
    for _ in range(25):
        history(place(district), [20], before=tuesday)
    assert count() == fifteen
