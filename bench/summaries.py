"""Time the coordinator summaries on PostgreSQL with a million feedback answers.

    .venv/bin/python bench/summaries.py                 # create, seed, measure, drop
    .venv/bin/python bench/summaries.py --keep          # keep the database afterwards
    .venv/bin/python bench/summaries.py --reuse --keep  # measure again on the kept data

The script creates its own database ``quartier_bench_summaries`` on the server in
BENCH_POSTGRES (default ``postgres://postgres@127.0.0.1:5432``), migrates it, bulk
loads 10,000 events at 60 locations and 1,000,000 feedback answers (COPY), plus
contact counts, material handouts and services of interest for a fifth of the
answers, recounts the per-event FeedbackTotals (COPY goes around the ORM that
keeps them), runs VACUUM ANALYZE, then times each summary: one warm-up, then the
median, 90th percentile (nearest rank) and maximum of --runs runs. A baseline
row (``SELECT count(*) FROM feedback_feedback``) measured in the same run lets
the figures be read as ratios on another machine. The goal is 300 ms each.
"""

import argparse
import io
import math
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from first_jobcenter import first_jobcenter_scope

ROOT = Path(__file__).resolve().parent.parent
# BENCH_SUMMARIES_DATABASE names another database (two runs side by side).
DATABASE = os.environ.get("BENCH_SUMMARIES_DATABASE", "quartier_bench_summaries")
GOAL_MS = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--feedback", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the kept database again"
    )
    return parser.parse_args()


def server_url() -> str:
    return os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def admin(sql: str) -> None:
    """Run CREATE/DROP DATABASE on the maintenance database."""
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


def copy(table: str, columns: list[str], rows) -> int:
    """Stream rows into table with COPY, in chunks."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection.cursor()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    total = 0
    buffer = io.StringIO()
    for n, row in enumerate(rows, 1):
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
        if n % 100_000 == 0:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            buffer = io.StringIO()
        total = n
    buffer.seek(0)
    raw.copy_expert(sql, buffer)
    raw.close()
    return total


def seed(n_events: int, n_feedback: int, jobcenter_id: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from events import demo
    from events.models import SOURCE_LANGUAGE, District, Event, Location
    from feedback.models import FeedbackTotals

    rng = random.Random(2024)
    started = time.perf_counter()
    base = demo.seed_base()
    districts = list(District.objects.all())
    foot = list(Location.FootTraffic.values)
    # One by one: the name is a translated field (bulk_create would store
    # no translation row).
    for n in range(53):
        Location.objects.create(
            name=f"Standort {n}",
            street=f"Benchstraße {n}",
            postcode="75175",
            district=districts[n % len(districts)],
            foot_traffic=rng.choice(foot),
        )
    locations = list(Location.objects.all())
    services = base["services"]
    groups = list(base["groups"].values())
    materials = base["materials"]

    # Six years up to today plus three months ahead, several events a day.
    today = timezone.localdate()
    first_day = today - timedelta(days=6 * 365)
    span = 6 * 365 + 90
    now = timezone.now()
    events = []
    for n in range(n_events):
        day = first_day + timedelta(days=n * span // n_events)
        start = demo.berlin(day, rng.randrange(8, 15))
        roll = rng.random()
        status = (
            Event.Status.DRAFT
            if roll < 0.03
            else Event.Status.CANCELLED
            if roll < 0.07
            else Event.Status.PUBLISHED
        )
        events.append(
            Event(
                slug=f"bench-{n}",
                title="Jobcenter im Quartier",
                location=rng.choice(locations),
                start=start,
                end=start + timedelta(hours=rng.randrange(2, 7)),
                status=status,
                short_code=f"b{n:07d}",
                published_at=now,
            )
        )
    with transaction.atomic():
        events = Event.objects.bulk_create(events, batch_size=2000)
        # bulk_create skips parler's save(): the German titles are written here.
        texts = Event._parler_meta.root_model
        texts.objects.bulk_create(
            (
                texts(
                    master_id=event.pk,
                    language_code=SOURCE_LANGUAGE,
                    title="Jobcenter im Quartier",
                )
                for event in events
            ),
            batch_size=2000,
        )
        copy(
            "events_event_services",
            ["event_id", "serviceoffering_id"],
            (
                (event.pk, service.pk)
                for event in events
                for service in rng.sample(services, 2)
            ),
        )
    held = [e for e in events if e.status == Event.Status.PUBLISHED and e.start < now]
    channels = ["passing_by"] * 8 + ["letter"] * 6 + ["poster"] * 2
    channels += ["friends_family"] * 2 + ["partner", "website", "social_media"]
    channels += ["other", "", ""]
    comments = ["", "", "", "", "", "", "", "", "Danke!", "Gerne wieder im Quartier."]

    def feedback_rows():
        for _ in range(n_feedback):
            event = rng.choice(held)
            submitted = event.start + timedelta(minutes=rng.randrange(10, 600))
            comment = rng.choice(comments)
            group = rng.choice([None, "other", *(g.pk for g in groups)])
            yield (
                jobcenter_id,
                event.pk,
                submitted.isoformat(),
                "online" if rng.random() < 0.8 else "paper",
                rng.choice((2, 3, 4, 4, 5, 5)),
                rng.choice((None, 3, 4, 5, 5)),
                rng.choice((None, 2, 3, 4, 5)),
                rng.choice((None, 2, 3, 3, 4)),
                rng.choice(channels),
                rng.choice(("t", "t", "f", None)),
                None if group == "other" else group,
                "t" if group == "other" else "f",
                comment,
                "t" if comment and rng.random() < 0.3 else "f",
            )

    with transaction.atomic():
        copy(
            "feedback_feedback",
            [
                "jobcenter_id",
                "event_id",
                "submitted_at",
                "source",
                "rating_overall",
                "rating_consultation",
                "rating_material",
                "rating_location",
                "heard_via",
                "would_come_again",
                "target_group_id",
                "describes_self_otherwise",
                "comment",
                "may_publish",
            ],
            feedback_rows(),
        )
        contacts = copy(
            "feedback_contactcount",
            [
                "jobcenter_id",
                "event_id",
                "target_group_id",
                "service_id",
                "quantity",
                "counted_at",
            ],
            (
                (
                    jobcenter_id,
                    event.pk,
                    rng.choice([None, *(g.pk for g in groups)]),
                    rng.choice([None, *(s.pk for s in services)]),
                    rng.randint(1, 12),
                    event.end.isoformat(),
                )
                for event in held
                for _ in range(40)
            ),
        )
        handouts = copy(
            "events_materialhandout",
            ["jobcenter_id", "event_id", "material_id", "brought", "handed_out"],
            (
                (jobcenter_id, event.pk, material.pk, 100, rng.randint(0, 100))
                for event in held
                for material in rng.sample(materials, 5)
            ),
        )
        ids = ",".join(str(s.pk) for s in services)
        with connection.cursor() as cursor:
            # Services of interest for every fifth answer.
            cursor.execute(
                "INSERT INTO feedback_feedback_services_of_interest "
                "(feedback_id, serviceoffering_id) "
                f"SELECT id, (ARRAY[{ids}])[1 + id % {len(services)}] "
                "FROM feedback_feedback WHERE id % 5 = 0"
            )
    recount_started = time.perf_counter()
    FeedbackTotals.objects.rebuild()
    recount = time.perf_counter() - recount_started
    return {
        "events": len(events),
        "held": len(held),
        "feedback": n_feedback,
        "contact rows": contacts,
        "handouts": handouts,
        "seconds": round(time.perf_counter() - started, 1),
        "totals recount seconds": round(recount, 1),
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


def measure(runs: int) -> list[tuple[str, list[float]]]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from feedback import summaries
    from feedback.models import FeedbackTotals
    from feedback.summaries import Filters

    last_year = timezone.localdate().year - 1
    year = Filters(start=date(last_year, 1, 1), end=date(last_year, 12, 31))
    busiest = (
        summaries.held_events(Filters())
        .annotate(n=Count("feedback"))
        .order_by("-n")
        .first()
    )

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM feedback_feedback")
            cursor.fetchone()

    cases = [
        ("baseline: SELECT count(*) FROM feedback_feedback", baseline),
        ("overview, whole period", lambda: summaries.overview(Filters())),
        (f"overview, year {last_year}", lambda: summaries.overview(year)),
        (
            "locations_compared, whole period",
            lambda: summaries.locations_compared(Filters()),
        ),
        (
            f"locations_compared, year {last_year}",
            lambda: summaries.locations_compared(year, order="rating"),
        ),
        ("channels, whole period", lambda: summaries.channels(Filters())),
        (f"channels, year {last_year}", lambda: summaries.channels(year)),
        (
            "self_descriptions, whole period",
            lambda: summaries.self_descriptions(Filters()),
        ),
        (
            f"event_report, busiest event ({busiest.n} answers)",
            lambda: summaries.event_report(busiest),
        ),
        ("event_figures, busiest event", lambda: summaries.event_figures(busiest)),
        (
            "recount FeedbackTotals, busiest event (each new answer)",
            lambda: FeedbackTotals.objects.refresh([busiest.pk]),
        ),
    ]
    return [(name, timed(function, runs)) for name, function in cases]


def nearest_rank(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def table(results: list[tuple[str, list[float]]]) -> str:
    width = max(len(name) for name, _ in results)
    lines = [
        f"{'function':<{width}} | median ms | p90 ms | max ms | goal ms | ok?",
        f"{'-' * width}-|-----------|--------|--------|---------|----",
    ]
    for name, times in results:
        median = statistics.median(times)
        baseline = name.startswith("baseline")
        goal = "" if baseline else str(GOAL_MS)
        ok = "" if baseline else ("yes" if max(times) < GOAL_MS else "NO")
        lines.append(
            f"{name:<{width}} | {median:9.1f} | {nearest_rank(times, 90):6.1f} "
            f"| {max(times):6.1f} | {goal:>7} | {ok}"
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
    with first_jobcenter_scope() as jobcenter:
        if not reuse:
            print("Seeding …", flush=True)
            print(seed(args.events, args.feedback, jobcenter.pk), flush=True)
        vacuum_analyze()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(
            f"PostgreSQL {version}, {timezone.now():%Y-%m-%d %H:%M} UTC, "
            f"{args.runs} runs"
        )
        print(table(measure(args.runs)))
    connection.close()
    if not args.keep:
        admin(f"DROP DATABASE {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
