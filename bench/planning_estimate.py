"""Time the expected-contacts estimate on PostgreSQL with 10,000 past dates.

    .venv/bin/python bench/planning_estimate.py                 # create, seed, measure, drop
    .venv/bin/python bench/planning_estimate.py --keep          # keep the database afterwards
    .venv/bin/python bench/planning_estimate.py --reuse --keep  # measure again on the kept data

Its own database ``quartier_bench_planning`` on the server in BENCH_POSTGRES
(default ``postgres://postgres@127.0.0.1:5432``; BENCH_PLANNING_DATABASE names
another): migrated, the demo's districts and locations plus 60 more places,
10,000 past dates over six years with known effects (place, district,
weekday, time of day, negative-binomial spread), 1,000 held Quartier events
with 20,000 contact counts, 3,000 passers-by counts; VACUUM ANALYZE. Then,
with a baseline (``PastDate.objects.count()``) measured in the same run so
the figures can be read as ratios on another machine:

- ``estimate()`` and ``estimate_many()`` of 30 candidates, reading a current
  stored fit (what the panel and the planning page do per request); the goal
  is 50 ms per estimate;
- the parts of a background refit: reading the history, the fit, the
  backtest, and ``store_fit`` (all of it, as the worker runs it).

Each: one warm-up, then the median, 90th percentile (nearest rank) and
maximum of --runs runs (the slow fit rows: --fit-runs).
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from first_jobcenter import first_jobcenter_scope

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_PLANNING_DATABASE", "quartier_bench_planning")
GOAL_MS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--fit-runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the kept database again"
    )
    return parser.parse_args()


def server_url() -> str:
    return os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{server_url()}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def database_exists() -> bool:
    import psycopg2

    connection = psycopg2.connect(f"{server_url()}/postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{server_url()}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    os.environ.setdefault("DEBUG", "0")  # no query log in memory
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    import django

    django.setup()


def negative_binomial(rng: random.Random, mu: float, theta: float = 6.0) -> int:
    lam = rng.gammavariate(theta, mu / theta)
    # Poisson by inversion in chunks of 30 (exact, fast enough here).
    total = 0
    while lam > 30:
        lam -= 30
        total += poisson(rng, 30)
    return total + poisson(rng, lam)


def poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def seed(n_dates: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from events import demo
    from events.models import District, Event, Location
    from feedback.models import ContactCount
    from planning.models import PassersByCount, PastDate

    rng = random.Random(2026)
    started = time.perf_counter()
    demo.seed_base()
    districts = list(District.objects.all())
    foot = list(Location.FootTraffic.values)
    for n in range(60):  # one by one: the name is a translated field
        Location.objects.create(
            name=f"Standort {n}",
            street=f"Benchstraße {n}",
            postcode="75175",
            district=districts[n % len(districts)],
            foot_traffic=rng.choice(foot),
        )
    places = list(Location.objects.all())
    district_effect = {d.pk: rng.gauss(0, 0.3) for d in districts}
    place_effect = {
        p.pk: district_effect[p.district_id] + rng.gauss(0, 0.3) for p in places
    }
    weekday_effect = [0.0, -0.1, 0.1, 0.4, 0.0, -0.3, -0.6]
    today = timezone.localdate()
    first_day = today - timedelta(days=6 * 365)
    span = 6 * 365 - 30
    dates, seen = [], set()
    for n in range(n_dates):
        day = first_day + timedelta(days=n * span // n_dates)
        place = rng.choice(places)
        hour = rng.choice((9, 10, 11, 13, 14, 15, 16))
        start = demo.berlin(day, hour)
        if (place.pk, start) in seen:
            continue
        seen.add((place.pk, start))
        hours = rng.choice((2, 3, 3, 4))
        mu = (
            12
            * hours
            / 3
            * math.exp(place_effect[place.pk] + weekday_effect[day.weekday()])
        )
        dates.append(
            PastDate(
                location=place,
                start=start,
                end=start + timedelta(hours=hours),
                contacts=negative_binomial(rng, mu),
                passers_by=rng.randrange(100, 2000) if rng.random() < 0.2 else None,
                source="bench",
            )
        )
    with transaction.atomic():
        PastDate.objects.bulk_create(dates, batch_size=2000)
        now = timezone.now()
        events = []
        for n in range(1000):
            day = today - timedelta(days=1 + n % 700)
            start = demo.berlin(day, rng.choice((10, 14)))
            events.append(
                Event(
                    slug=f"bench-planning-{n}",
                    title="Jobcenter im Quartier",
                    location=rng.choice(places),
                    start=start,
                    end=start + timedelta(hours=3),
                    status=Event.Status.PUBLISHED,
                    short_code=f"p{n:07d}",
                    published_at=now,
                )
            )
        events = Event.objects.bulk_create(events, batch_size=1000)
        texts = Event._parler_meta.root_model
        texts.objects.bulk_create(
            texts(master_id=e.pk, language_code="de", title="Jobcenter im Quartier")
            for e in events
        )
        ContactCount.objects.bulk_create(
            (
                ContactCount(
                    event=e, quantity=1, counted_at=e.start + timedelta(minutes=k)
                )
                for e in events
                for k in range(20)
            ),
            batch_size=5000,
        )
        PassersByCount.objects.bulk_create(
            (
                PassersByCount(
                    location=rng.choice(places[:20]),
                    date=today - timedelta(days=rng.randrange(1, 700)),
                    hour=rng.randrange(8, 18),
                    minutes=15,
                    count=rng.randrange(5, 120),
                )
                for _ in range(3000)
            ),
            batch_size=3000,
        )
    return {
        "past dates": len(dates),
        "held events": len(events),
        "contact counts": 20 * len(events),
        "passers-by counts": 3000,
        "places": len(places),
        "seconds": round(time.perf_counter() - started, 1),
    }


def vacuum_analyze() -> None:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    autocommit = raw.autocommit
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    raw.autocommit = autocommit


def timed(function, runs: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(runs: int, fit_runs: int) -> list[tuple[str, list[float], int | None]]:
    from django.core.cache import cache
    from django.utils import timezone

    from events.models import Location
    from planning import backtest, estimates, history
    from planning.models import PastDate

    started = time.perf_counter()
    estimates.store_fit()  # a current fit, as the worker leaves it
    first_refit = (time.perf_counter() - started) * 1000
    places = list(Location.objects.order_by("pk"))
    monday = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    one = (places[0], monday + timedelta(days=7), monday + timedelta(days=7, hours=3))
    candidates = [
        (
            places[n % len(places)],
            monday + timedelta(days=7 + n % 5, hours=n % 6),
            monday + timedelta(days=7 + n % 5, hours=n % 6 + 3),
        )
        for n in range(30)
    ]
    observations = history.observations()
    slots = history.hourly_rates()
    cases = [
        (
            "baseline: PastDate.objects.count()",
            lambda: PastDate.objects.count(),
            runs,
            None,
        ),
        (
            "history.data_version() (in every estimate)",
            history.data_version,
            runs,
            None,
        ),
        (
            "estimate(), current stored fit, version cached",
            lambda: estimates.estimate(*one),
            runs,
            GOAL_MS,
        ),
        (
            "estimate(), version read (once a minute)",
            lambda: (cache.clear(), estimates.estimate(*one)),
            runs,
            GOAL_MS,
        ),
        (
            "estimate_many(), 30 candidates (the whole call; goal 50 ms each)",
            lambda: estimates.estimate_many(candidates),
            runs,
            30 * GOAL_MS,
        ),
        ("backtest.accuracy_by_month()", backtest.accuracy_by_month, runs, None),
        ("refit: history.observations()", history.observations, fit_runs, None),
        (
            f"refit: fit_params() on {len(observations)} dates",
            lambda: estimates.fit_params(observations, slots),
            fit_runs,
            None,
        ),
        ("refit: backtest.run()", lambda: backtest.run(observations, slots), 1, None),
    ]
    results = [(name, timed(fn, n), goal) for name, fn, n, goal in cases]
    results.append(("refit: store_fit() (all of it, first run)", [first_refit], None))
    return results


def nearest_rank(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def table(results) -> str:
    baseline = statistics.median(results[0][1])
    lines = [
        "| what | runs | median ms | p90 ms | max ms | × baseline | goal ms | ok? |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, times, goal in results:
        median = statistics.median(times)
        ok = "" if goal is None else ("yes" if nearest_rank(times, 90) < goal else "NO")
        lines.append(
            f"| {name} | {len(times)} | {median:.1f} | {nearest_rank(times, 90):.1f} "
            f"| {max(times):.1f} | {median / baseline:.1f} | {goal or ''} | {ok} |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    reuse = args.reuse and database_exists()
    if not reuse:
        admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin(f"CREATE DATABASE {DATABASE}")
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    with first_jobcenter_scope():
        if not reuse:
            print("Seeding …", flush=True)
            print(seed(args.dates), flush=True)
        vacuum_analyze()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(
            f"PostgreSQL {version}, {timezone.now():%Y-%m-%d %H:%M} UTC, "
            f"{args.runs} runs (refit rows: {args.fit_runs}), "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
            flush=True,
        )
        print(table(measure(args.runs, args.fit_runs)))
    connection.close()
    if not args.keep:
        admin(f"DROP DATABASE {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
