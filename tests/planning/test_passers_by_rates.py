"""Passers-by per hour (planning/passers_by.py): counts weighed by minutes, the class as fallback."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from events.models import Location
from planning.models import PassersByCount
from planning.passers_by import (
    COUNTED_HOUR,
    COUNTED_PLACE,
    COUNTED_SLOT,
    FALLBACK_PER_HOUR,
    FOOT_TRAFFIC_CLASS,
    hourly_rates,
    rate_at,
    rate_during,
)
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 5, 4)


def count(location, day=MONDAY, hour=10, people=100, minutes=15, **kwargs):
    return PassersByCount.objects.create(
        location=location, date=day, hour=hour, count=people, minutes=minutes, **kwargs
    )


def test_quarter_hours_and_whole_hours_are_weighed_by_their_minutes():
    place = LocationFactory()
    count(place, people=50, minutes=15)  # 200 an hour
    count(place, people=500, minutes=60, source="counter")  # 500 an hour
    rates = hourly_rates([place])
    assert rates == {place.pk: {(0, 10): pytest.approx(550 * 60 / 75)}}


def test_one_query_for_any_number_of_places(django_assert_num_queries):
    places = LocationFactory.create_batch(5)
    for n, place in enumerate(places):
        count(place, hour=8 + n)
        count(place, day=date(2026, 5, 7), hour=8 + n)
    with django_assert_num_queries(1):
        rates = hourly_rates(places)
    assert len(rates) == 5
    assert set(rates[places[0].pk]) == {(0, 8), (3, 8)}
    with django_assert_num_queries(0):
        assert hourly_rates([]) == {}


def test_since_leaves_out_older_counts():
    place = LocationFactory()
    count(place, day=date(2025, 5, 5), people=10)
    count(place, people=30)
    assert hourly_rates([place.pk], since=date(2026, 1, 1)) == {
        place.pk: {(0, 10): 120.0}
    }


def test_the_best_rate_counted_then_at_that_hour_at_that_place_or_the_class():
    counted = LocationFactory(foot_traffic=Location.FootTraffic.LOW)
    count(counted, hour=10, people=50)  # Monday 10:00: 200 an hour
    count(counted, day=date(2026, 5, 5), hour=10, people=100)  # Tuesday: 400
    count(counted, hour=15, people=25)  # Monday 15:00: 100
    never = LocationFactory(foot_traffic=Location.FootTraffic.HIGH)
    rates = hourly_rates([counted, never])
    assert rate_at(counted, 0, 10, rates).per_hour == 200
    assert rate_at(counted, 0, 10, rates).basis == COUNTED_SLOT
    assert rate_at(counted, 3, 10, rates).per_hour == 300  # mean of Mon and Tue
    assert rate_at(counted, 3, 10, rates).basis == COUNTED_HOUR
    assert rate_at(counted, 3, 12, rates).basis == COUNTED_PLACE
    assert rate_at(counted, 3, 12, rates).per_hour == pytest.approx(700 / 3)
    fallback = rate_at(never, 0, 10, rates)
    assert (fallback.per_hour, fallback.basis) == (900, FOOT_TRAFFIC_CLASS)
    assert not fallback.counted
    assert FALLBACK_PER_HOUR == {"low": 60, "medium": 250, "high": 900}


def test_a_date_s_rate_is_the_mean_over_its_hours():
    place = LocationFactory()
    count(place, hour=10, people=50)  # 200
    count(place, hour=11, people=100)  # 400
    rates = hourly_rates([place])
    start = timezone.make_aware(datetime.combine(date(2026, 5, 11), time(10)))
    end = timezone.make_aware(datetime.combine(date(2026, 5, 11), time(11, 30)))
    rate = rate_during(place, start, end, rates)
    assert rate.per_hour == pytest.approx((200 * 60 + 400 * 30) / 90)
    assert rate.basis == COUNTED_SLOT
    longer = rate_during(place, start, end.replace(hour=12), rates)
    assert longer.basis == COUNTED_PLACE
