#!/usr/bin/env python
"""One Jobcenter among fifty: do its pages cost what they cost alone?

Two PostgreSQL databases, derived from DATABASE_URL's name: ``<name>_1`` with
one Jobcenter holding 2,000 events, ``<name>_50`` with fifty Jobcenters
holding 2,000 events each (100,000 events). The measured Jobcenter answers on
127.0.0.1 and has the same data in both (same generator, same seed); the
others answer on jc-N.example, and the measured one's rows sit in the middle
of the tables (24 Jobcenters are written before it, 25 after).

For each database a gunicorn (2 sync workers, PUBLIC_CACHE_SECONDS=0, shared
Redis cache) serves the production settings; the home page, an event page and
/kalender.ics are loaded alternately on both, in rounds, and the table shows
requests per second and the ratio (b)/(a) per round (median). The goal: at
least 0.9 for each page.

It also prints, from a Django test client in each database, the number of
queries each page runs (they must be equal in (a) and (b)), and the
PostgreSQL plan (EXPLAIN ANALYZE) of the home page's list query in (b),
which must read events_event through an index led by the Jobcenter, never a
Seq Scan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/q_scale .venv/bin/python bench/tenants.py

Seeding takes a few minutes the first time; later runs reuse both databases
(``--reseed`` makes them again). See bench/README.md and docs/performance.md.
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8731"))
STATIC_ROOT = "/tmp/quartier-bench-tenants-static"
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8")
GOAL = 0.9
SEED = 2024
MEASURED_AFTER = 24  # Jobcenters written before the measured one in (b)
PAGES = [("home page", "/"), ("event page", None), ("calendar", "/kalender.ics")]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_url(base: str, jobcenters: int) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{jobcenters}"))


def bench_env(url: str, port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="quartier.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-never-used-in-production-0123456789",
        # The measured Jobcenter's host and every other one's.
        ALLOWED_HOSTS=f"{HOST},localhost,.example",
        DATABASE_URL=url,
        STATIC_ROOT=STATIC_ROOT,
        # The first Jobcenter (made by the migration) takes this host name.
        SITE_URL=f"http://{HOST}:{port}",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PUBLIC_CACHE_SECONDS="0",
        CACHE_URL=CACHE_URL,
        LOG_LEVEL="WARNING",
    )
    return env


def ensure_database(url: str, *, fresh: bool) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def child(env: dict, *args: str) -> dict:
    """Run this script inside Django (the seeding and inspecting half)."""
    result = subprocess.run(
        [PYTHON, __file__, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare(url: str, port: int, *, jobcenters: int, events: int, fresh: bool) -> dict:
    env = bench_env(url, port)
    ensure_database(url, fresh=fresh)
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    started = time.monotonic()
    made = child(
        env, "--child", "seed", "--jobcenters", str(jobcenters), "--events", str(events)
    )
    log(
        f"{url}: {made['jobcenters']} Jobcenters, {made['events']} events "
        f"({'seeded' if made['seeded'] else 'kept'}, {time.monotonic() - started:.0f} s)"
    )
    return made


# --- inside Django ----------------------------------------------------------


def seed(jobcenters: int, events: int) -> dict:
    from django.db import connection

    from events import demo
    from events.models import Event
    from jobcenters.models import Host, Jobcenter
    from jobcenters.scoping import jobcenter_scope, scopes_disabled

    with scopes_disabled():
        measured = Jobcenter.objects.order_by("pk").first()
        Host.objects.get_or_create(name=HOST, defaults={"jobcenter": measured})
        have = Event.objects.count()
        if have == jobcenters * events and Jobcenter.objects.count() == jobcenters:
            return {"jobcenters": jobcenters, "events": have, "seeded": False}
        if have:
            raise SystemExit(
                f"{connection.settings_dict['NAME']} holds {have} events, not "
                f"{jobcenters * events}: run with --reseed"
            )
    # Short codes are unique across the installation, but seed_volume() only
    # knows its own Jobcenter's: draw them against everyone's here.
    with scopes_disabled():
        taken = set(Event.objects.values_list("short_code", flat=True))
    fresh_code = demo._fresh_code
    demo._fresh_code = lambda _codes: fresh_code(taken)
    order = list(range(2, jobcenters + 1))
    order.insert(min(MEASURED_AFTER, len(order)), 1)
    for number in order:
        if number == 1:
            jobcenter = measured
        else:
            jobcenter = Jobcenter.objects.create(
                name=f"Jobcenter {number}", slug=f"jc-{number}"
            )
            Host.objects.create(
                jobcenter=jobcenter, name=f"jc-{number}.example", is_primary=True
            )
        with jobcenter_scope(jobcenter):
            base = demo.seed_base()
            demo.seed_volume(base, count=events, seed=SEED)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    with scopes_disabled():
        return {
            "jobcenters": Jobcenter.objects.count(),
            "events": Event.objects.count(),
            "seeded": True,
        }


def inspect(explain: bool) -> dict:
    """Query counts of the pages as served to 127.0.0.1, and the list's plan."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import Event
    from jobcenters.hosts import jobcenter_for_host
    from jobcenters.scoping import jobcenter_scope

    jobcenter = jobcenter_for_host(HOST)
    with jobcenter_scope(jobcenter):
        upcoming = Event.objects.published().upcoming().order_by("start", "pk")
        slug = upcoming.values_list("slug", flat=True)[0]
        fingerprint = [
            upcoming.count(),
            str(upcoming.values_list("start", flat=True)[0]),
        ]
    client = Client(HTTP_HOST=HOST)
    paths = {name: path or f"/veranstaltungen/{slug}/" for name, path in PAGES}
    paths["Atom feed"] = "/feed.atom"
    counts, sizes, plan = {}, {}, None
    for name, path in paths.items():
        client.get(path)  # the first request fills the per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
        sizes[name] = len(response.content)
        if explain and name == "home page":
            listing = next(
                q["sql"]
                for q in queries.captured_queries
                if 'FROM "events_event"' in q["sql"] and "ORDER BY" in q["sql"]
            )
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + listing)
                plan = {"sql": listing, "plan": [row[0] for row in cursor.fetchall()]}
    return {
        "jobcenter": jobcenter.pk,
        "slug": slug,
        "paths": paths,
        "fingerprint": fingerprint,
        "counts": counts,
        "sizes": sizes,
        "plan": plan,
    }


def run_child(args) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    if args.child == "seed":
        result = seed(args.jobcenters, args.events)
    else:
        result = inspect(args.explain)
    print(json.dumps(result))


# --- load -------------------------------------------------------------------


class Server:
    """gunicorn on loopback, started and stopped by this script only."""

    def __init__(self, url: str, port: int, workers: int):
        self.env, self.port, self.workers = bench_env(url, port), port, workers

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "quartier.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://{HOST}:{self.port}/healthz", timeout=2
                ):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 30 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def fetch(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def settle(port: int) -> None:
    """Wait until gunicorn has worked off what the last run queued."""
    deadline, quick = time.monotonic() + 90, 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        fetch(port, "/healthz")
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0


def load(port: int, path: str, *, duration: float, connections: int) -> dict:
    """A small threaded load generator (a new connection per request)."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + duration

    def worker():
        mine, failed = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                status, _size = fetch(port, path)
                failed += status != 200
            except OSError:
                failed += 1
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobcenters", type=int, default=50)
    parser.add_argument("--events", type=int, default=2000, help="per Jobcenter")
    parser.add_argument("--duration", type=float, default=4, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--reseed", action="store_true", help="make both databases again"
    )
    parser.add_argument("--child", choices=["seed", "inspect"], help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit(
            "DATABASE_URL must name a PostgreSQL database, e.g. "
            "postgres://postgres@127.0.0.1:5432/q_scale (its _1 and _50 are used)"
        )
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()
    setups = {
        "a": (database_url(base, 1), PORT, 1),
        "b": (database_url(base, args.jobcenters), PORT + 1, args.jobcenters),
    }
    for url, port, jobcenters in setups.values():
        prepare(url, port, jobcenters=jobcenters, events=args.events, fresh=args.reseed)
    first_env = bench_env(setups["a"][0], PORT)
    for command in (
        ["compilemessages", "--ignore=.venv", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=first_env, check=True
        )

    found = {
        key: child(
            bench_env(url, port),
            "--child",
            "inspect",
            *(["--explain"] if key == "b" else []),
        )
        for key, (url, port, _n) in setups.items()
    }
    if found["a"]["fingerprint"] != found["b"]["fingerprint"]:
        log(
            "The measured Jobcenter's data differ between (a) and (b) "
            f"({found['a']['fingerprint']} / {found['b']['fingerprint']}): "
            "seeded on different days? Run with --reseed."
        )
    paths = found["a"]["paths"]

    load_before = os.getloadavg()
    runs = {(key, name): [] for key in setups for name, _p in PAGES}
    with (
        Server(setups["a"][0], PORT, args.workers),
        Server(setups["b"][0], PORT + 1, args.workers),
    ):
        for key, (_url, port, _n) in setups.items():
            for name, _p in PAGES:
                status, _size = fetch(port, paths[name])
                if status != 200:
                    raise SystemExit(f"({key}) {paths[name]} answered {status}")
                for _ in range(args.workers * 2):
                    fetch(port, paths[name])  # every worker warm
        for round_number in range(1, args.rounds + 1):
            # Alternate who goes first, so a drift in the machine's load
            # hits (a) and (b) alike.
            order = ["a", "b"] if round_number % 2 else ["b", "a"]
            for name, _p in PAGES:
                for key in order:
                    port = setups[key][1]
                    result = load(
                        port,
                        paths[name],
                        duration=args.duration,
                        connections=args.connections,
                    )
                    runs[(key, name)].append(result)
                    settle(port)
                    log(
                        f"  round {round_number}  ({key}) {name:<12} "
                        f"{result['rps']:7.1f} req/s"
                    )
    load_after = os.getloadavg()

    print()
    print(
        f"One Jobcenter among {args.jobcenters}: (a) 1 Jobcenter with {args.events} events, "
        f"(b) {args.jobcenters} Jobcenters with {args.events} each "
        f"({args.jobcenters * args.events} events); PostgreSQL, gunicorn {args.workers} "
        f"sync workers per database, PUBLIC_CACHE_SECONDS=0, {args.connections} connections, "
        f"median of {args.rounds} rounds of {args.duration:g} s; {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} before, "
        f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after"
    )
    print()
    print(
        "| page | path | queries (a) | queries (b) | bytes (a) | bytes (b) "
        "| req/s (a) | req/s (b) | p50 ms (a) | p50 ms (b) | (b)/(a) | goal |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    equal = True
    for name, _p in PAGES:
        a, b = runs[("a", name)], runs[("b", name)]
        ratio = statistics.median(
            y["rps"] / max(x["rps"], 0.001) for x, y in zip(a, b, strict=True)
        )
        qa, qb = found["a"]["counts"][name], found["b"]["counts"][name]
        equal &= qa == qb
        errors = sum(r["errors"] for r in a + b)
        print(
            f"| {name} | `{paths[name]}` | {qa} | {qb} | {found['a']['sizes'][name]} "
            f"| {found['b']['sizes'][name]} "
            f"| {statistics.median(r['rps'] for r in a):.0f} "
            f"| {statistics.median(r['rps'] for r in b):.0f} "
            f"| {statistics.median(r['p50'] for r in a):.1f} "
            f"| {statistics.median(r['p50'] for r in b):.1f} "
            f"| {ratio:.2f} | {'met' if ratio >= GOAL else 'MISSED'} (≥ {GOAL})"
            f"{f' ({errors} errors)' if errors else ''} |"
        )
    atom_a, atom_b = (
        found["a"]["counts"]["Atom feed"],
        found["b"]["counts"]["Atom feed"],
    )
    equal &= atom_a == atom_b
    print()
    print(
        f"Query counts equal in (a) and (b) (home, event page, calendar, Atom {atom_a}/{atom_b}): "
        f"{'yes' if equal else 'NO'}"
    )
    plan = found["b"]["plan"]
    seq_scan = any("Seq Scan on events_event" in line for line in plan["plan"])
    print()
    print("The home page's list query in (b), EXPLAIN (ANALYZE, BUFFERS, COSTS OFF):")
    print()
    print("    " + plan["sql"])
    print()
    print("\n".join("    " + line for line in plan["plan"]))
    print()
    print(f"Seq Scan on events_event: {'YES' if seq_scan else 'none'}")
    if not equal or seq_scan:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
