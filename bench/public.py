#!/usr/bin/env python
"""Benchmark the public pages under load, served the way production serves them.

Seeds a large data set into a separate database, collects the static files,
starts gunicorn on 127.0.0.1:8701 with DEBUG off, and loads a trivial view
(/healthz: the framework's ceiling), the home page, an event page, the
calendar feed and the Atom feed (home and event page also in Arabic, whose
throughput is compared with the German one's): once with the public cache as in production
(PUBLIC_CACHE_SECONDS=60) and once without it (0), to show the uncached cost.

    .venv/bin/python bench/public.py                  # SQLite in /tmp, wrk
    .venv/bin/python bench/public.py --database-url postgres://postgres@127.0.0.1:5432/quartier_bench_public
    .venv/bin/python bench/public.py --loader python  # without wrk

See bench/README.md. Prints a table; no assertion: the goal (home page at
least 80 % of the ceiling's requests per second, with the cache) is read off.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from first_jobcenter import FIRST_JOBCENTER_SCOPE

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_PORT and BENCH_CACHE_URL let two runs side by side keep out of each other's way.
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8701"))
BASE = f"http://{HOST}:{PORT}"
DEFAULT_DB = "sqlite:////tmp/quartier-bench-public.sqlite3"
# BENCH_STATIC_ROOT: another directory, for a run beside another worktree's.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/quartier-bench-public-static")
GOAL = 0.8
# Issue 12: the uncached home page in Arabic keeps at least 90 % of its German throughput.
LANGUAGE_GOAL = 0.9


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/10")


def fresh_cache() -> None:
    """Empty this benchmark's Redis database, so no earlier run answers."""
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def bench_env(database_url: str, cache_seconds: int) -> dict:
    """Production settings, relaxed only where loopback has no TLS."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="quartier.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-never-used-in-production-0123456789",
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        STATIC_ROOT=STATIC_ROOT,
        SITE_URL=BASE,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PUBLIC_CACHE_SECONDS=str(cache_seconds),
        # Several workers need a shared cache (gunicorn refuses otherwise);
        # this benchmark's own Redis database, emptied at the start.
        CACHE_URL=CACHE_URL,
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def postgres_connection(database_url: str, name: str | None = None):
    """A psycopg2 connection (autocommit) to the URL's server, database `name`."""
    import psycopg2

    parts = urlsplit(database_url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=name or parts.path.lstrip("/"),
    )
    connection.autocommit = True
    return connection


def vacuum_analyze(database_url: str) -> None:
    """Fresh planner statistics, as a production database has them.

    Right after seeding, autovacuum has not looked yet: the planner would
    guess one row where there are thousands, and the plans measured would
    not be production's.
    """
    connection = postgres_connection(database_url)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def ensure_postgres_database(database_url: str) -> None:
    """Create the benchmark's own PostgreSQL database if it is missing."""
    name = urlsplit(database_url).path.lstrip("/")
    connection = postgres_connection(database_url, "postgres")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def prepare(database_url: str, events: int) -> str:
    """Migrate, seed, compile translations, collect static; return an event slug."""
    env = bench_env(database_url, 0)
    if database_url.startswith("postgres"):
        ensure_postgres_database(database_url)
    started = time.monotonic()
    log(f"Preparing {database_url} with {events} generated events …")
    manage(env, "migrate", "--noinput", "-v0")
    postgres = database_url.startswith("postgres")
    if postgres:
        # Before seed_demo too: its check for events without feedback runs for
        # minutes at 100,000 events if the planner has no statistics.
        vacuum_analyze(database_url)
    manage(env, "seed_demo", "--first-only", "--events", str(events), "-v0")
    if postgres:
        vacuum_analyze(database_url)
    manage(env, "compilemessages", "--ignore=.venv", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    slug = manage(
        env,
        "shell",
        "-c",
        FIRST_JOBCENTER_SCOPE + "from events.models import Event\n"
        "print(Event.objects.published().upcoming().order_by('start')[0].slug)",
        capture=True,
    ).split()[-1]
    log(f"… ready in {time.monotonic() - started:.0f} s; event page: {slug}")
    return slug


class Server:
    """gunicorn on loopback, started and stopped by this script only.

    By default the site with bench_env(); other benchmarks pass their own
    ``env``, ``port``, WSGI ``app`` (found on ``pythonpath``) and the address
    that answers once it is up (``ready``).
    """

    def __init__(
        self,
        database_url: str | None = None,
        cache_seconds: int = 60,
        workers: int = 2,
        *,
        env: dict | None = None,
        port: int = PORT,
        app: str = "quartier.wsgi:application",
        pythonpath: str | None = None,
        ready: str = "/healthz",
    ):
        self.env = env if env is not None else bench_env(database_url, cache_seconds)
        self.workers = workers
        self.port = port
        self.app = app
        self.pythonpath = pythonpath
        self.ready = ready
        self.process = None

    def __enter__(self):
        # Another benchmark's server on the port would answer the readiness
        # check and be measured instead.
        with socket.socket() as probe:
            # As gunicorn binds: a closed server's lingering connections are no obstacle.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, self.port))
            except OSError:
                raise SystemExit(
                    f"port {self.port} is in use (another benchmark?): set BENCH_PORT"
                ) from None
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                self.app,
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                *(["--pythonpath", self.pythonpath] if self.pythonpath else []),
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                url = f"http://{HOST}:{self.port}{self.ready}"
                with urllib.request.urlopen(url, timeout=2):
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


def check(path: str, port: int = PORT) -> int:
    """Fetch once (also fills the cache); the status must be 200."""
    try:
        url = f"http://{HOST}:{port}{path}"
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def settle(timeout: float = 90, port: int = PORT, path: str = "/healthz") -> None:
    """Wait until requests queued by the last run are done.

    A load generator stops sending, but gunicorn still works off what is in
    its queue; a slow page would otherwise eat into the next address's run.
    """
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        check(path, port)
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path: str, *, duration: float, connections: int, port: int = PORT) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "--latency",
            "--timeout",
            "30s",
            "-t",
            "1",
            "-c",
            str(connections),
            "-d",
            f"{duration:g}s",
            f"http://{HOST}:{port}{path}",
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(
            rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M
        ).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def python_load(
    path: str, *, duration: float, connections: int, port: int = PORT
) -> dict:
    """A small threaded load generator, for machines without wrk."""
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + duration

    def worker():
        mine, failed = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                failed += response.status >= 400
            except OSError:
                failed += 1
            finally:
                connection.close()
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
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49],
        "p99": cuts[98],
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument(
        "--duration", type=int, default=3, help="seconds per address and round"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--cache",
        type=int,
        nargs="+",
        default=[60, 0],
        metavar="SECONDS",
        help="PUBLIC_CACHE_SECONDS values to run (default: 60 0)",
    )
    args = parser.parse_args()
    fresh_cache()

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    if loader == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (or --loader python)")
    load = wrk if loader == "wrk" else python_load

    slug = prepare(args.database_url, args.events)
    pages = [
        ("trivial view (ceiling)", "/healthz"),
        ("home page", "/"),
        ("home page in Arabic", "/ar/"),
        ("event page", f"/veranstaltungen/{slug}/"),
        ("event page in Arabic", f"/ar/veranstaltungen/{slug}/"),
        ("calendar feed", "/kalender.ics"),
        ("Atom feed", "/feed.atom"),
    ]
    rows = []
    # Per cache setting: the Arabic page's throughput over the German one's, per round.
    language_ratios = {}
    load_before = os.getloadavg()[0]
    for cache_seconds in args.cache:
        with Server(args.database_url, cache_seconds, args.workers):
            statuses, first = {}, {}
            for _name, path in pages:
                started = time.monotonic()
                statuses[path] = check(path)
                first[path] = (time.monotonic() - started) * 1000
                if not cache_seconds:
                    continue
                # Every worker answers once, so each has its cache filled and
                # its code warm before the clock runs.
                warm = [
                    threading.Thread(target=check, args=(path,))
                    for _ in range(args.workers * 2)
                ]
                for thread in warm:
                    thread.start()
                for thread in warm:
                    thread.join()
            for path, status in statuses.items():
                if status != 200:
                    log(f"{path} answered {status}; measured anyway")
            # Rounds over all addresses, so a change in the machine's other
            # load hits the ceiling and the pages alike; medians per address.
            runs = {path: [] for _name, path in pages}
            for round_number in range(1, args.rounds + 1):
                for _name, path in pages:
                    result = load(
                        path, duration=args.duration, connections=args.connections
                    )
                    runs[path].append(result)
                    settle()
                    log(
                        f"  cache {cache_seconds:>2} s  round {round_number}  "
                        f"{path:<40} {result['rps']:8.1f} req/s"
                    )
            language_ratios[cache_seconds] = [
                (
                    german,
                    statistics.median(
                        a["rps"] / max(d["rps"], 0.001)
                        for a, d in zip(runs["/ar" + german], runs[german], strict=True)
                    ),
                )
                for german in ("/", f"/veranstaltungen/{slug}/")
            ]
            ceiling_runs = runs[pages[0][1]]
            for name, path in pages:
                results = runs[path]
                summary = {
                    key: statistics.median(r[key] for r in results)
                    for key in ("rps", "p50", "p99")
                }
                summary["errors"] = sum(r["errors"] for r in results)
                ratio = statistics.median(
                    r["rps"] / max(c["rps"], 0.001)
                    for r, c in zip(results, ceiling_runs, strict=True)
                )
                summary["first"] = first[path]
                rows.append((cache_seconds, name, path, statuses[path], summary, ratio))

    print()
    print(
        f"Public pages: {args.events} generated events, {urlsplit(args.database_url).scheme}, "
        f"gunicorn {args.workers} sync workers, {loader} {args.connections} connections, "
        f"median of {args.rounds} rounds of {args.duration} s per address, "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after"
    )
    print()
    print(
        "| cache | page | path | status | first request ms | req/s | p50 ms "
        "| p99 ms | of ceiling |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|---:|")
    for cache_seconds, name, path, status, result, ratio in rows:
        errors = f" ({result['errors']} errors)" if result["errors"] else ""
        if result["rps"]:
            measured = (
                f"{result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f}"
            )
        else:
            measured = f"none completed in {args.duration} s | – | –"
        print(
            f"| {cache_seconds} s | {name} | `{path}` | {status}{errors} | "
            f"{result['first']:.0f} | {measured} | {ratio:.0%} |"
        )
    print()
    print("| cache | page | Arabic req/s over German req/s |")
    print("|---|---|---:|")
    for cache_seconds, pairs in language_ratios.items():
        for german, ratio in pairs:
            print(f"| {cache_seconds} s | `{german}` | {ratio:.0%} |")
    for cache_seconds, pairs in language_ratios.items():
        ratio = pairs[0][1]
        verdict = "met" if ratio >= LANGUAGE_GOAL else "NOT met"
        print(
            f"\nGoal (home page in Arabic ≥ {LANGUAGE_GOAL:.0%} of German) with cache "
            f"{cache_seconds} s: {ratio:.0%}, {verdict}."
        )
    home = [row for row in rows if row[2] == "/"]
    for cache_seconds, _name, _path, _status, _result, ratio in home:
        verdict = "met" if ratio >= GOAL else "NOT met"
        print(
            f"\nGoal (home page ≥ {GOAL:.0%} of the ceiling) with cache "
            f"{cache_seconds} s: {ratio:.0%}, {verdict}."
        )


if __name__ == "__main__":
    main()
