"""The demo's history (planning/demo.py): made once, plausible, from its known structure."""

from collections import defaultdict
from datetime import date, timedelta
from statistics import mean

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import demo as event_demo
from events.models import Location
from planning import demo
from planning.models import PassersByCount, PastDate
from planning.passers_by import FOOT_TRAFFIC_CLASS, hourly_rates, rate_at

pytestmark = pytest.mark.django_db

QUIET = "Quartierswerkstatt, ehemalige Stadtgärtnerei"
BUSY = "Leopoldplatz, Stand am Brunnen"


@pytest.fixture
def seeded():
    call_command("seed_demo", verbosity=0, first_only=True)


def contacts_by(key) -> dict:
    groups = defaultdict(list)
    for row in PastDate.objects.select_related("location"):
        groups[key(row)].append(row.contacts)
    return {name: mean(values) for name, values in groups.items()}


def test_seed_demo_adds_two_years_of_past_dates_and_counts(seeded):
    dates = PastDate.objects.all()
    assert 150 <= dates.count() <= 260
    assert set(dates.values_list("source", flat=True)) == {demo.SOURCE}
    first = timezone.localtime(dates.order_by("start").first().start).date()
    last = timezone.localtime(dates.order_by("start").last().start).date()
    today = timezone.localdate()
    assert today - timedelta(days=735) <= first < today - timedelta(days=700)
    assert today - timedelta(days=14) <= last < today
    # Every demo place was used, on every weekday, mornings and afternoons.
    assert dates.values("location").distinct().count() == len(demo.PLACE_CONTACTS)
    days = {timezone.localtime(d.start).weekday() for d in dates}
    hours = {timezone.localtime(d.start).hour for d in dates}
    assert days == {0, 1, 2, 3, 4}
    assert min(hours) < 11 and max(hours) >= 13
    assert dates.filter(passers_by__isnull=False).exists()
    assert PassersByCount.objects.filter(source="counter").count() > 300
    assert PassersByCount.objects.filter(source="on_site", minutes=15).exists()
    for row in dates:
        row.full_clean()


def test_seed_demo_twice_adds_nothing(seeded):
    before = (PastDate.objects.count(), PassersByCount.objects.count())
    call_command("seed_demo", verbosity=0, first_only=True)
    assert (PastDate.objects.count(), PassersByCount.objects.count()) == before
    assert demo.seed_history(event_demo.seed_base()) == demo.Seeded()


def test_the_same_week_gives_the_same_history():
    base = event_demo.seed_base()
    made = demo.seed_history(base, today=date(2026, 3, 4))
    first = list(
        PastDate.objects.order_by("start", "location_id").values_list(
            "start", "location_id", "contacts"
        )
    )
    PastDate.objects.all().delete()
    PassersByCount.objects.all().delete()
    assert demo.seed_history(base, today=date(2026, 3, 6)) == made
    again = list(
        PastDate.objects.order_by("start", "location_id").values_list(
            "start", "location_id", "contacts"
        )
    )
    assert again == first


def test_the_busy_square_has_about_twice_the_quiet_courtyard_s_contacts(seeded):
    by_place = contacts_by(lambda row: row.location.name)
    assert 1.5 < by_place[BUSY] / by_place[QUIET] < 2.8
    assert by_place[BUSY] == max(by_place.values())


def test_mornings_beat_afternoons_and_summer_holidays_dip(seeded):
    by_time = contacts_by(lambda row: timezone.localtime(row.start).hour >= 13)
    assert by_time[False] > 1.15 * by_time[True]
    by_season = contacts_by(
        lambda row: demo.in_summer_holidays(timezone.localtime(row.start).date())
    )
    assert by_season[True] < by_season[False]


def test_no_date_on_a_public_holiday_or_a_weekend(seeded):
    for row in PastDate.objects.all():
        day = timezone.localtime(row.start).date()
        assert day.weekday() < 5
        assert not demo.is_public_holiday(day)


def test_counted_places_have_rates_near_the_truth_and_two_fall_back(seeded):
    locations = list(Location.objects.all())
    rates = hourly_rates(locations)
    for location in locations:
        rate = rate_at(location, 2, 12, rates)
        truth, how = demo.PLACE_PASSERS[location.name]
        if how is None:
            assert rate.basis == FOOT_TRAFFIC_CLASS
        else:
            assert rate.counted
            assert 0.4 * truth < rate.per_hour < 1.6 * truth


def test_the_structure_and_its_noise():
    assert demo.easter(2025) == date(2025, 4, 20)
    assert demo.is_public_holiday(date(2025, 4, 21))  # Easter Monday
    assert demo.is_public_holiday(date(2025, 6, 19))  # Corpus Christi
    assert not demo.is_public_holiday(date(2025, 6, 18))
    rng = __import__("random").Random(1)
    draws = [demo.negative_binomial(rng, 20) for _ in range(4000)]
    assert 19 < mean(draws) < 21
    variance = mean((d - mean(draws)) ** 2 for d in draws)
    assert 20 + 400 / demo.SHAPE * 0.8 < variance < 20 + 400 / demo.SHAPE * 1.25
    big = [demo.poisson(rng, 900) for _ in range(500)]
    assert 880 < mean(big) < 920
