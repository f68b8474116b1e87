"""Time the coordinator pages (/auswertung/…) and count their queries.

    .venv/bin/python bench/reports.py                      # 5,000 events, 100,000 answers
    .venv/bin/python bench/reports.py --events 1000 --feedback 20000 --runs 5
    .venv/bin/python bench/reports.py --postgres           # on the local PostgreSQL

Uses its own SQLite file (default /tmp/quartier-bench-reports.sqlite3, removed
and rebuilt on every run; ``--database PATH`` to change it), never db.sqlite3
nor a shared PostgreSQL database; with ``--postgres`` its own database
``quartier_bench_reports`` on BENCH_POSTGRES (default
``postgres://postgres@127.0.0.1:5432``), dropped and created on every run and
dropped at the end. Seeds ``seed_demo --events N``, then bulk
loads feedback answers and contact counts for the held events, and requests each
page in-process with Django's test client as a superuser, with the test
settings (DEBUG off; no network, no gunicorn): one warm-up, then the median and maximum of --runs runs, the number
of SQL queries (the same for every run: it does not depend on the data) and the
response size. A baseline row (``/healthz``) lets the figures be read as ratios
on another machine.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from first_jobcenter import first_jobcenter_scope

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--feedback", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--database", default="/tmp/quartier-bench-reports.sqlite3", type=Path
    )
    parser.add_argument("--postgres", action="store_true")
    return parser.parse_args()


# BENCH_REPORTS_DATABASE names another database (two runs side by side).
PG_DATABASE = os.environ.get("BENCH_REPORTS_DATABASE", "quartier_bench_reports")


def pg_server() -> str:
    return os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def pg_admin(sql: str) -> None:
    """CREATE/DROP this script's own database, on the maintenance database."""
    import psycopg2

    connection = psycopg2.connect(f"{pg_server()}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    # The test settings: production settings (DEBUG off) without TLS and
    # without the static manifest, so no collectstatic is needed.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    import django

    django.setup()


def seed(n_events: int, n_feedback: int) -> str:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from events.models import Event, TargetGroup
    from feedback.models import ContactCount, Feedback

    # One Jobcenter: it answers on the test client's host.
    call_command("seed_demo", events=n_events, first_only=True, verbosity=0)
    rng = random.Random(2024)
    held = list(
        Event.objects.published()
        .filter(start__lt=timezone.now())
        .values_list("pk", "start")
    )
    groups = [None, *TargetGroup.objects.values_list("pk", flat=True)]
    channels = [*Feedback.Channel.values, ""]
    with transaction.atomic():
        Feedback.objects.bulk_create(
            (
                Feedback(
                    event_id=pk,
                    submitted_at=start,
                    rating_overall=rng.choice((2, 3, 4, 4, 5, 5)),
                    rating_consultation=rng.choice((None, 3, 4, 5, 5)),
                    rating_material=rng.choice((None, 2, 3, 4, 5)),
                    rating_location=rng.choice((None, 2, 3, 3, 4)),
                    heard_via=rng.choice(channels),
                    would_come_again=rng.choice((True, True, False, None)),
                    comment=rng.choice(("", "", "", "Danke!")),
                )
                for pk, start in (rng.choice(held) for _ in range(n_feedback))
            ),
            batch_size=5000,
        )
        ContactCount.objects.bulk_create(
            (
                ContactCount(
                    event_id=pk,
                    counted_at=start,
                    quantity=rng.randrange(1, 4),
                    target_group_id=rng.choice(groups),
                )
                for pk, start in (rng.choice(held) for _ in range(n_feedback))
            ),
            batch_size=5000,
        )
    return f"{len(held)} held events, {n_feedback} answers, {n_feedback} contact counts"


def measure(runs: int) -> list[tuple[str, str, list[float], int, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import Event
    from tests.accounts import force_login_verified

    user, _created = get_user_model().objects.get_or_create(
        username="bench-reports", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    # Superusers must use a second factor: a session verified as after a code.
    force_login_verified(client, user)
    busiest = (
        Event.objects.published()
        .filter(start__lt=timezone.now())
        .order_by("-start")
        .first()
    )
    pages = [
        ("baseline", "/healthz"),
        ("overview", "/auswertung/"),
        ("overview, one district", "/auswertung/?bezirk=oststadt"),
        ("event report", f"/auswertung/veranstaltung/{busiest.pk}/"),
        ("locations", "/auswertung/orte/"),
        ("channels", "/auswertung/kanaele/"),
        ("CSV: held events", "/auswertung/?format=csv&tabelle=veranstaltungen"),
    ]
    results = []
    for name, url in pages:
        client.get(url)  # warm-up
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results.append(
            (name, url, times, len(queries.captured_queries), len(response.content))
        )
    return results


def table(results) -> str:
    lines = [
        "| page | address | median ms | max ms | queries | KiB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, url, times, queries, size in results:
        lines.append(
            f"| {name} | `{url}` | {statistics.median(times):.1f} | "
            f"{max(times):.1f} | {queries} | {size / 1024:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    if args.postgres:
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        setup_django(f"{pg_server()}/{PG_DATABASE}")
    else:
        if args.database.resolve() == (ROOT / "db.sqlite3").resolve():
            sys.exit("Refusing to overwrite the development database db.sqlite3.")
        args.database.unlink(missing_ok=True)
        setup_django(f"sqlite:///{args.database}")
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with first_jobcenter_scope():
        print("Seeding …", flush=True)
        print(seed(args.events, args.feedback), flush=True)
        if args.postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{connection.vendor}, {args.runs} runs, in-process test client")
        print(table(measure(args.runs)))
    connection.close()
    if args.postgres:
        pg_admin(f"DROP DATABASE {PG_DATABASE} WITH (FORCE)")
    else:
        args.database.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
