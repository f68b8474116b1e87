"""The expected-contacts estimate: known effects recovered from synthetic data,
partial pooling, the stored fit, the background refit, fixed query counts.

Tolerances: the synthetic history (tests/planning/synthetic.py, fixed seed)
has 1,200 dates with a negative-binomial spread (θ = 8); the effects below are
recovered within about ±20 % (a place twice as busy: 1.6–2.5×; Thursdays
1.5×: 1.25–1.8×).
"""

from datetime import datetime, timedelta
from math import exp

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from events.models import Event
from planning import estimates, history
from planning.models import EstimatorFit, PassersByCount, PastDate
from tests.factories import (
    ContactCountFactory,
    DistrictFactory,
    EventFactory,
    LocationFactory,
)
from tests.planning import synthetic
from tests.planning.helpers import run_refits, store_synthetic

BERLIN = synthetic.BERLIN


@pytest.fixture(autouse=True)
def _no_waiting_refit():
    """The "refit waiting" markers live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def fitted():
    params, _fit = estimates.fit_params(synthetic.held_dates(), {})
    return params


def expected(params, location_id, start, hours=3, district_id=None):
    district_id = district_id or synthetic.places()[location_id][0]
    mean, _low, _high, _factors = estimates.predict(
        params,
        location_id=location_id,
        district_id=district_id,
        foot_traffic="medium",
        start=start,
        end=start + timedelta(hours=hours),
    )
    return mean


TUESDAY = datetime(2026, 3, 3, 10, tzinfo=BERLIN)
THURSDAY = datetime(2026, 3, 5, 10, tzinfo=BERLIN)


def test_a_place_twice_as_busy_is_estimated_about_twice(fitted):
    ratio = expected(fitted, synthetic.BUSY, TUESDAY) / expected(
        fitted, synthetic.TWIN, TUESDAY
    )
    assert 1.6 <= ratio <= 2.5


def test_the_thursday_effect_is_recovered(fitted):
    for place in (synthetic.BUSY, 11, 42):
        ratio = expected(fitted, place, THURSDAY) / expected(fitted, place, TUESDAY)
        assert 1.25 <= ratio <= 1.8


def test_contacts_grow_with_the_hours(fitted):
    assert 0.8 <= fitted["gamma"] <= 1.2
    assert expected(fitted, 11, TUESDAY, hours=4) > expected(fitted, 11, TUESDAY, 2)


def test_district_effects_are_recovered_in_order(fitted):
    effects = [fitted["districts"][str(k)][0] for k in range(1, 6)]
    assert effects == sorted(effects)
    assert 0.5 <= effects[-1] - effects[0] <= 1.1  # truth 0.8


def test_a_place_with_one_earlier_date_is_pulled_towards_its_district():
    dates = synthetic.held_dates()
    newcomer = dates[-1]
    # One date at a new place in the busiest district (5), with few contacts.
    one = history.Observation(
        **{
            **{f: getattr(newcomer, f) for f in newcomer.__dataclass_fields__},
            "pk": 99999,
            "location_id": 5555,
            "district_id": 5,
            "contacts": 4,
        }
    )
    params, _fit = estimates.fit_params([*dates, one], {})
    start = one.start.replace(hour=10) + timedelta(days=7)
    hours = one.duration_hours
    own = expected(params, 5555, start, hours, district_id=5)
    unseen = expected(params, 9999, start, hours, district_id=5)
    # Between its own single count (4, scaled to 10 o'clock on the same weekday)
    # and what the district's places draw, nearer the district.
    assert one.contacts < own < unseen
    assert unseen - own < own - one.contacts
    # A place in the quietest district is estimated below one in the busiest.
    assert expected(params, 9998, start, hours, district_id=1) < unseen


def test_the_range_widens_for_a_new_place(fitted):
    known = estimates.predict(
        fitted,
        location_id=31,
        district_id=3,
        foot_traffic="medium",
        start=TUESDAY,
        end=TUESDAY + timedelta(hours=3),
    )
    new = estimates.predict(
        fitted,
        location_id=777,
        district_id=3,
        foot_traffic="medium",
        start=TUESDAY,
        end=TUESDAY + timedelta(hours=3),
    )
    assert known[1] <= known[0] <= known[2]
    # Relative to the mean: an unknown place's own effect adds its spread.
    assert (new[2] - new[1]) / new[0] > (known[2] - known[1]) / known[0]


def test_passers_by_are_a_covariate():
    """Contacts in proportion to passers-by: β near 1, a busier hour expected higher."""
    dates = []
    for o in synthetic.held_dates(600, seed=5):
        rate = {11: 50.0, 21: 100.0, 31: 200.0, 41: 400.0}.get(o.location_id)
        if rate is None:
            continue
        factor = rate / 100.0
        dates.append(
            history.Observation(
                **{
                    **{f: getattr(o, f) for f in o.__dataclass_fields__},
                    "contacts": round(o.contacts * factor),
                    "passers_by_per_hour": rate,
                }
            )
        )
    params, _fit = estimates.fit_params(dates, {})
    assert 0.6 <= params["beta"] <= 1.3
    # A new place where 400 pass an hour against one where 50 do.
    params["slots"] = {"8001": {"1-10": 400.0, "1-11": 400.0}, "8002": {}}
    params["place_rates"]["8002"] = 50.0
    busy = expected(params, 8001, TUESDAY, 2, district_id=3)
    quiet = expected(params, 8002, TUESDAY, 2, district_id=3)
    assert busy > 3 * quiet


# --- Stored fit, database, queries -----------------------------------------


@pytest.mark.django_db
def test_no_history_gives_a_sensible_answer():
    place = LocationFactory()
    result = estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert (result.expected, result.low, result.high) == (0.0, 0, 0)
    assert result.reasons == ("noch keine früheren Termine",)
    assert result.range_label == "0–0"
    # With a fit of an empty history, the same.
    estimates.store_fit()
    again = estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert again.reasons == ("noch keine früheren Termine",)


@pytest.mark.django_db
def test_before_the_first_fit_the_programme_mean_answers_and_a_refit_is_queued():
    place = LocationFactory()
    PastDate.objects.bulk_create(  # no signals: as an import might
        PastDate(
            location=place,
            start=THURSDAY - timedelta(days=7 * n),
            end=THURSDAY - timedelta(days=7 * n) + timedelta(hours=3),
            contacts=10 + n % 3 * 5,
        )
        for n in range(1, 7)
    )
    result = estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert result.expected == 15.0
    assert result.low < 15 < result.high
    assert result.reasons[0].startswith("der Durchschnitt aus 6 früheren Terminen")
    assert DBTaskResult.objects.filter(task_path="planning.tasks.refit").count() == 1
    assert run_refits() == 1
    fit = EstimatorFit.objects.get()
    assert fit.observations == 6
    assert fit.data_version == history.data_version()
    assert fit.params["accuracy"] == []  # fewer than 30 dates: nothing to test yet


@pytest.mark.django_db
def test_estimate_reads_the_stored_fit_with_reasons_in_german():
    places = store_synthetic(300)
    estimates.store_fit(accuracy=False)
    busy = places[synthetic.BUSY]
    result = estimates.estimate(busy, THURSDAY, THURSDAY + timedelta(hours=3))
    assert result.dates_here >= 25  # every 12th date, and some more
    assert result.low < result.expected < result.high
    assert (
        result.reasons[0] == f"aus {result.dates_here} früheren Terminen an diesem Ort"
    )
    assert result.reasons[1].endswith("im Stadtteil")
    assert result.reasons[2] in (
        "Donnerstags kommen mehr Menschen als an anderen Tagen",
        "Dieser Ort zieht mehr Menschen an als andere im Stadtteil",
    )
    assert not DBTaskResult.objects.filter(task_path="planning.tasks.refit").exists()


@pytest.mark.django_db
def test_estimate_and_estimate_many_keep_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    places = store_synthetic(300)
    estimates.store_fit(accuracy=False)
    some = list(places.values())
    cache.clear()
    with django_assert_num_queries(2):  # the fit and the data version
        estimates.estimate(some[0], THURSDAY, THURSDAY + timedelta(hours=3))
    with django_assert_num_queries(1):  # the version is kept a minute
        estimates.estimate(some[1], THURSDAY, THURSDAY + timedelta(hours=3))
    candidates = [
        (
            some[n % len(some)],
            THURSDAY + timedelta(hours=n),
            THURSDAY + timedelta(hours=n + 2),
        )
        for n in range(30)
    ]
    with django_assert_num_queries(1):
        answers = estimates.estimate_many(candidates)
    cache.clear()
    with django_assert_num_queries(2):
        assert estimates.estimate_many(candidates) == answers
    assert len(answers) == 30
    assert answers[0] == estimates.estimate(*candidates[0])


@pytest.mark.django_db
def test_a_change_queues_one_refit_and_a_stale_fit_still_answers():
    places = store_synthetic(120)
    estimates.store_fit(accuracy=False)
    fit = EstimatorFit.objects.get()
    place = places[synthetic.TWIN]
    before = estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    # Saving two past dates queues one refit (the second finds it waiting).
    for weeks in (1, 2):
        PastDate.objects.create(
            location=place,
            start=timezone.now() - timedelta(weeks=weeks),
            end=timezone.now() - timedelta(weeks=weeks) + timedelta(hours=2),
            contacts=60,
        )
    queued = DBTaskResult.objects.filter(task_path="planning.tasks.refit")
    assert queued.count() == 1
    assert queued.get().args_kwargs["args"] == [place.jobcenter_id, True]
    # Meanwhile the estimate answers from the stale fit, without fitting.
    stale = estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert stale == before
    assert EstimatorFit.objects.get().fitted_at == fit.fitted_at
    assert run_refits() == 1
    refitted = EstimatorFit.objects.get()
    assert refitted.observations == fit.observations + 2
    after = estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert after.dates_here == before.dates_here + 2
    assert after.expected > before.expected


@pytest.mark.django_db
def test_a_bulk_write_is_noticed_when_the_kept_version_expires():
    places = store_synthetic(120)
    estimates.store_fit(accuracy=False)
    place = places[synthetic.TWIN]
    estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    PastDate.objects.bulk_create(  # no signal
        [
            PastDate(
                location=place,
                start=timezone.now() - timedelta(days=3),
                end=timezone.now() - timedelta(days=3, hours=-2),
                contacts=9,
            )
        ]
    )
    queued = DBTaskResult.objects.filter(task_path="planning.tasks.refit")
    estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert not queued.exists()  # within the minute the version is kept
    cache.clear()  # the minute is over
    estimates.estimate(place, THURSDAY, THURSDAY + timedelta(hours=3))
    assert queued.get().args_kwargs["args"] == [place.jobcenter_id, False]
    assert run_refits() == 1
    assert EstimatorFit.objects.get().observations == 121


@pytest.mark.django_db
def test_deleting_and_counting_queue_refits_too():
    place = LocationFactory()
    past = PastDate.objects.create(
        location=place,
        start=THURSDAY - timedelta(days=30),
        end=THURSDAY - timedelta(days=30) + timedelta(hours=2),
        contacts=5,
    )
    queued = DBTaskResult.objects.filter(task_path="planning.tasks.refit")
    for change in (
        past.delete,
        lambda: ContactCountFactory(event=EventFactory(location=place)),
        lambda: PassersByCount.objects.create(
            location=place, date=THURSDAY.date(), hour=10, minutes=15, count=30
        ),
    ):
        queued.delete()
        cache.clear()
        change()
        assert queued.count() == 1


@pytest.mark.django_db
def test_a_fit_is_stale_once_a_counted_date_ends():
    place = LocationFactory()
    now = timezone.now()
    running = EventFactory(
        location=place,
        status=Event.Status.PUBLISHED,
        start=now - timedelta(hours=1),
        end=now + timedelta(hours=1),
    )
    ContactCountFactory(event=running, quantity=7)
    estimates.store_fit(accuracy=False)
    fit = EstimatorFit.objects.get()
    assert fit.observations == 0  # not over yet
    assert estimates._is_current(fit, history.data_version())
    Event.objects.filter(pk=running.pk).update(end=now - timedelta(minutes=1))
    fit.params["stale_after"] = (now - timedelta(minutes=1)).isoformat()
    assert not estimates._is_current(fit, history.data_version())


@pytest.mark.django_db
def test_observations_read_both_sources_in_three_queries(django_assert_num_queries):
    district = DistrictFactory()
    square, courtyard = LocationFactory.create_batch(2, district=district)
    start = timezone.now() - timedelta(days=10)
    held = EventFactory(
        location=square,
        status=Event.Status.PUBLISHED,
        start=start,
        end=start + timedelta(hours=2),
    )
    ContactCountFactory.create_batch(3, event=held, quantity=4)
    EventFactory(  # held, nobody counted: left out
        location=square,
        status=Event.Status.PUBLISHED,
        start=start - timedelta(days=1),
        end=start - timedelta(days=1) + timedelta(hours=2),
    )
    draft = EventFactory(location=square, start=start, end=start + timedelta(hours=1))
    ContactCountFactory(event=draft)  # not published: left out
    PastDate.objects.create(  # the same date imported: the event's count wins
        location=square, start=start, end=start + timedelta(hours=2), contacts=99
    )
    PastDate.objects.create(
        location=courtyard,
        start=start - timedelta(days=30),
        end=start - timedelta(days=30) + timedelta(hours=4),
        contacts=8,
        passers_by=400,
    )
    with django_assert_num_queries(3):
        found = history.observations()
    assert [(o.source, o.contacts) for o in found] == [
        ("imported", 8),
        ("quartier", 12),
    ]
    first = found[0]
    assert first.district_id == district.pk
    assert first.passers_by_per_hour == 100.0  # 400 over four hours
    assert first.duration_hours == 4
    assert first.start.tzinfo is not None and str(first.start.tzinfo) == "Europe/Berlin"


@pytest.mark.django_db
def test_counted_passers_by_are_read_per_weekday_and_hour():
    place = LocationFactory()
    monday = datetime(2026, 3, 2, 10, tzinfo=BERLIN)
    PassersByCount.objects.create(
        location=place, date=monday.date(), hour=10, minutes=15, count=30
    )
    PassersByCount.objects.create(
        location=place, date=monday.date(), hour=10, minutes=15, count=20
    )
    PassersByCount.objects.create(
        location=place, date=monday.date(), hour=11, minutes=60, count=80
    )
    rates = history.hourly_rates()
    assert rates == {(place.pk, 0, 10): 100.0, (place.pk, 0, 11): 80.0}
    assert (
        history.rate_for(rates, place.pk, monday, monday + timedelta(hours=2)) == 90.0
    )
    tuesday = monday + timedelta(days=1)
    assert (
        history.rate_for(rates, place.pk, tuesday, tuesday + timedelta(hours=2)) is None
    )


def test_time_of_day_and_season_and_hours():
    day = datetime(2026, 7, 2, 9, tzinfo=BERLIN)
    assert history.time_of_day(day, day + timedelta(hours=2)) == "morning"
    assert history.time_of_day(day, day + timedelta(hours=5)) == "midday"
    assert (
        history.time_of_day(day.replace(hour=15), day.replace(hour=16)) == "afternoon"
    )
    assert history.time_of_day(day.replace(hour=17), day.replace(hour=19)) == "evening"
    assert [history.season(day.replace(month=m)) for m in (12, 3, 7, 10)] == [
        "winter",
        "spring",
        "summer",
        "autumn",
    ]
    assert history.hours_covered(day.replace(minute=30), day.replace(hour=11)) == [
        9,
        10,
    ]


def test_the_range_has_about_80_percent_of_the_predictive_mass():
    from planning import nbmodel

    low, high = nbmodel.nb_quantiles(3.0, 0.0, 5.0, (0.1, 0.9))
    mu = exp(3.0)
    assert low < mu < high
    # NB(20, θ=5): sd ≈ 9.8; the 80 % range is about ±1.28 sd, skewed right.
    assert 6 <= low <= 10 and 30 <= high <= 36
