#!/usr/bin/env python
"""Issue 11: the public pages without the cache, against baselines of the same run.

One run prints one Markdown table. Measured alternately in rounds (the order
reversed every other round), so the machine's other load hits every row alike:

- baselines: a bare Django app (one view, no middleware, no database), the
  site's /healthz through its whole stack, and a reference page (a plain
  ListView of 20 rows from a 10,000-row table, bench/reference/);
- uncached (PUBLIC_CACHE_SECONDS=0): home, filter combinations, an event page,
  the Atom feed and the calendars, each against the reference page;
- the open data API's event list (/api/v1/events, also filtered by district),
  uncached, against the uncached home page (issue 13: at least 0.8 of it);
- cached (PUBLIC_CACHE_SECONDS=60, hits): home and event page against the bare app;
- a hostile loop of random filter addresses and its effect on another
  client's home page requests, and how stale a page stays after an edit
  seen through two workers sharing the Redis cache;
- the queries of each page (Django's test client in a subprocess), and with
  ``--explain`` the plan of every query.

    .venv/bin/python bench/uncached.py                   # PostgreSQL, 10,000 events
    .venv/bin/python bench/uncached.py --events 100000   # its own database
    .venv/bin/python bench/uncached.py --sqlite          # SQLite files in /tmp

Servers, seeding and load generators are bench/public.py's. See bench/README.md.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import public
from first_jobcenter import FIRST_JOBCENTER_SCOPE

ROOT = public.ROOT
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
HOST = public.HOST
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Servers side by side on consecutive ports from BENCH_PORT (default 8761;
# public.py uses 8701, feedback_http.py and lighthouse.py 8702, tenants.py 8731).
FIRST_PORT = int(os.environ.get("BENCH_PORT", "8761"))
PORTS = {
    "uncached": FIRST_PORT,
    "cached": FIRST_PORT + 1,
    "bare": FIRST_PORT + 2,
    "reference": FIRST_PORT + 3,
    "second": FIRST_PORT + 4,
}
REFERENCE_ROWS = 10_000
# The hostile client comes from another loopback address: a per-client budget
# can tell it from the measured client (127.0.0.1).
HOSTILE_SOURCE = "127.0.0.2"
GOALS = {
    "filter": 0.5,
    "event": 0.8,
    "atom": 0.5,
    "api": 0.8,
    "hit": 0.8,
    "hostile": 0.5,
}
CALENDAR_GOAL = 100  # req/s, absolute
STALE_GOAL = 1.0  # seconds


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def size_label(events: int) -> str:
    """'' for the default 10,000 events, else '_100k', '_500' …"""
    if events == 10_000:
        return ""
    if events % 1000 == 0:
        return f"_{events // 1000}k"
    return f"_{events}"


def default_databases(events: int, sqlite: bool) -> tuple[str, str]:
    """The site's database for this size, and the reference page's."""
    label = size_label(events)
    if sqlite:
        return (
            f"sqlite:////tmp/quartier-bench-public{label.replace('_', '-')}.sqlite3",
            "sqlite:////tmp/quartier-bench-reference.sqlite3",
        )
    return (
        f"{POSTGRES}/quartier_bench_public{label}",
        f"{POSTGRES}/quartier_bench_reference",
    )


def with_pairs(env: dict, pairs: list[str]) -> dict:
    """env with KEY=VALUE pairs from the command line on top."""
    env = dict(env)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SystemExit(f"not KEY=VALUE: {pair!r}")
        env[key] = value
    return env


def reference_env(settings: str, reference_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        REFERENCE_DATABASE_URL=reference_url,
        SECRET_KEY="bench-only-secret-key-never-used-in-production-0123456789",
        PYTHONPATH=str(BENCH),
    )
    return env


def child(env: dict, *args: str) -> dict:
    """Run this script inside Django (seeding and counting); its JSON answer."""
    result = subprocess.run(
        [PYTHON, __file__, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- inside Django ----------------------------------------------------------


def child_reference() -> dict:
    """Make and fill the reference table if missing; the page's query count."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from reference.models import Row

    if Row._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(Row)
    have = Row.objects.count()
    if have != REFERENCE_ROWS:
        Row.objects.all().delete()
        rng = random.Random(11)
        first = datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Europe/Berlin"))
        places = [f"Stadtteilzentrum {n}" for n in range(1, 41)]
        Row.objects.bulk_create(
            [
                Row(
                    title=f"Sprechstunde im Quartier {n}",
                    start=first + timedelta(hours=3 * n + rng.randrange(3)),
                    place=rng.choice(places),
                )
                for n in range(REFERENCE_ROWS)
            ],
            batch_size=2000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Row._meta.db_table}")
    client = Client()
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200, response.status_code
    return {
        "rows": Row.objects.count(),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def plan_flags(plan: dict, vendor: str) -> list[str]:
    """What the issue forbids in a plan: a Seq Scan or a large Sort over events."""
    flags = []

    def relations(node) -> set[str]:
        found = {node["Relation Name"]} if "Relation Name" in node else set()
        for sub in node.get("Plans", []):
            found |= relations(sub)
        return found

    def walk(node):
        name = node.get("Relation Name", "")
        if node["Node Type"] == "Seq Scan" and name.startswith("events_event"):
            flags.append(f"Seq Scan on {name}")
        if node["Node Type"] in ("Sort", "Incremental Sort"):
            inner = node.get("Plans", [{}])[0]
            rows = inner.get("Actual Rows", 0) * inner.get("Actual Loops", 1)
            over = sorted(r for r in relations(node) if r.startswith("events_event"))
            if over and rows > 1000:
                flags.append(f"Sort of {rows} rows over {', '.join(over)}")
        for sub in node.get("Plans", []):
            walk(sub)

    walk(plan)
    return flags


def explain(sql: str) -> dict:
    """The plan of one captured query (PostgreSQL: ANALYZE, BUFFERS)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            text = [row[0] for row in cursor.fetchall()]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            data = cursor.fetchone()[0]
            data = json.loads(data) if isinstance(data, str) else data
            flags = plan_flags(data[0]["Plan"], "postgresql")
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            text = [row[-1] for row in cursor.fetchall()]
            # SQLite's plan names no row counts: a full scan of an events
            # table, or a sort (temporary B-tree) in a query that reads one.
            over_events = any("events_event" in line for line in text)
            flags = [
                line.strip()
                for line in text
                if (
                    line.strip().startswith("SCAN events_event") and "INDEX" not in line
                )
                or (over_events and "TEMP B-TREE" in line)
            ]
    return {"sql": sql, "plan": text, "flags": flags}


def child_inspect(with_plans: bool) -> dict:
    """The pages to measure, chosen from the seeded data, and their queries.

    Every page is requested twice by Django's test client (host 127.0.0.1);
    the second request is counted (the first fills per-process caches, and
    with PUBLIC_CACHE_SECONDS on, the page cache: the second is a hit).
    """
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import District, Event, ServiceOffering, TargetGroup
    from jobcenters.hosts import jobcenter_for_host
    from jobcenters.scoping import jobcenter_scope

    jobcenter = jobcenter_for_host(HOST)
    with jobcenter_scope(jobcenter):
        upcoming = Event.objects.published().upcoming().order_by("start", "pk")
        first = upcoming.select_related("location__district")[0]
        district = first.location.district.slug
        category = first.services.order_by("pk")[0].category
        group = first.target_groups.order_by("pk")[0].slug
        events = Event.objects.count()
        title = first.title
        choices = {
            "districts": list(District.objects.active().values_list("slug", flat=True)),
            "categories": sorted(
                set(ServiceOffering.objects.values_list("category", flat=True))
            ),
            "groups": list(TargetGroup.objects.active().values_list("slug", flat=True)),
        }
    today = timezone.localdate()
    dates = {
        "von": str(today + timedelta(days=7)),
        "bis": str(today + timedelta(days=21)),
    }
    paths = {
        "home": "/",
        "district": "/?" + urlencode({"bezirk": district}),
        "service": "/?" + urlencode({"angebot": category}),
        "target group": "/?" + urlencode({"zielgruppe": group}),
        "dates": "/?" + urlencode(dates),
        "district + service": "/?"
        + urlencode({"bezirk": district, "angebot": category}),
        "page 3": "/?seite=3",
        "event page": f"/veranstaltungen/{first.slug}/",
        "Atom feed": "/feed.atom",
        "calendar": "/kalender.ics",
        "district calendar": f"/kalender/bezirk/{district}.ics",
        "healthz": "/healthz",
        "API list": "/api/v1/events",
        "API list, district": "/api/v1/events?" + urlencode({"bezirk": district}),
    }
    client = Client(HTTP_HOST=HOST)
    counts, sizes, plans = {}, {}, {}
    for name, path in paths.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts[name] = len(queries)
        sizes[name] = len(response.content)
        if with_plans:
            plans[name] = [
                explain(q["sql"])
                for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
            ]
    return {
        "events": events,
        "slug": first.slug,
        "title": title,
        "paths": paths,
        "choices": choices,
        "today": str(today),
        "counts": counts,
        "sizes": sizes,
        "plans": plans,
        "cache_seconds": settings.PUBLIC_CACHE_SECONDS,
        "vendor": connection.vendor,
    }


def run_child(args) -> None:
    import django

    if args.child == "reference":
        sys.path.insert(0, str(BENCH))
        django.setup()
        result = child_reference()
    else:
        sys.path.insert(0, str(ROOT))
        django.setup()
        result = child_inspect(args.explain)
    print(json.dumps(result, default=str))


# --- over HTTP --------------------------------------------------------------


def fetch(
    port: int, path: str, *, source: str | None = None
) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(
        HOST, port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def warm(port: int, path: str, times: int) -> None:
    """Each worker answers once, so its code (and cache) is warm."""
    threads = [threading.Thread(target=fetch, args=(port, path)) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def hostile_address(rng: random.Random, choices: dict, today: date) -> str:
    """A random filter address: real and junk values, junk parameters."""
    params = {}
    if rng.random() < 0.6:
        params["bezirk"] = rng.choice([*choices["districts"], "nirgendwo"])
    if rng.random() < 0.5:
        params["angebot"] = rng.choice([*choices["categories"], "xyz"])
    if rng.random() < 0.4:
        params["zielgruppe"] = rng.choice([*choices["groups"], "alle"])
    if rng.random() < 0.4:
        params["von"] = str(today + timedelta(days=rng.randrange(-30, 365)))
    if rng.random() < 0.3:
        params["bis"] = rng.choice(
            [str(today + timedelta(days=rng.randrange(0, 400))), "31.12.2026", "morgen"]
        )
    if rng.random() < 0.3:
        params["seite"] = str(rng.choice([rng.randrange(1, 30), -1, 10**9, "x"]))
    if rng.random() < 0.3:
        params[f"utm_{rng.randrange(1000)}"] = str(rng.randrange(10**6))
    prefix = rng.choice(["", "", "", "/en", "/ar", "/tr"])
    return f"{prefix}/?{urlencode(params)}" if params else f"{prefix}/"


class Hostile:
    """Random uncached filter addresses, as fast as `connections` threads can."""

    def __init__(self, port: int, connections: int, choices: dict, today: date):
        self.port, self.connections = port, connections
        self.choices, self.today = choices, today
        self.statuses: dict[int | str, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        mine: dict = {}
        while not self.stop.is_set():
            path = hostile_address(rng, self.choices, self.today)
            try:
                status, _headers, _body = fetch(self.port, path, source=HOSTILE_SOURCE)
            except OSError as error:
                status = type(error).__name__
            mine[status] = mine.get(status, 0) + 1
        with self.lock:
            for status, count in mine.items():
                self.statuses[status] = self.statuses.get(status, 0) + count

    def __enter__(self):
        self.threads = [
            threading.Thread(target=self.run, args=(n,))
            for n in range(self.connections)
        ]
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)  # under way before the clock runs
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


EDIT = """
import time
from django.db import transaction
from events.models import Event
event = Event.objects.get(slug={slug!r})
event.set_current_language("de")
with transaction.atomic():
    event.title = {title!r}
    event.save()
print("committed", time.time())
"""


def edit_title(env: dict, slug: str, title: str) -> float:
    """Change an event's German title as the admin would (signals fire); when it committed."""
    output = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            FIRST_JOBCENTER_SCOPE + EDIT.format(slug=slug, title=title),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return float(output.split("committed")[-1].split()[0])


def staleness(
    env: dict, port: int, paths: list[str], slug: str, *, workers: int, consecutive: int
) -> dict:
    """Seconds from an edit's commit until every page shows it on every worker.

    Polls the pages every ~50 ms (each tick all of them at once, so several
    workers answer), from before the edit until `consecutive` responses in a
    row after the commit show the new title and came from all workers.
    """
    token = f"Bench {time.time_ns()}"
    for path in paths:
        warm(port, path, workers * 3)  # cached on every worker
    seen: list[tuple[float, bool, str]] = []  # (request start, fresh, worker)
    lock, stop = threading.Lock(), threading.Event()

    def poll(path):
        while not stop.is_set():
            started = time.time()
            try:
                status, headers, body = fetch(port, path)
            except OSError:
                continue
            fresh = status == 200 and token.encode() in body
            with lock:
                seen.append((started, fresh, headers.get("X-Bench-Worker", "?")))
            time.sleep(max(0.0, 0.05 - (time.time() - started)))

    threads = [threading.Thread(target=poll, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    committed = edit_title(env, slug, token)
    deadline = committed + 15
    result = None
    while time.time() < deadline:
        time.sleep(0.05)
        with lock:
            after = sorted(s for s in seen if s[0] >= committed)
        stale = [s for s in after if not s[1]]
        last_stale = stale[-1][0] if stale else committed
        streak = [s for s in after if s[0] > last_stale] if stale else after
        if len(streak) >= consecutive and len({s[2] for s in streak}) >= min(
            workers, 2
        ):
            result = {
                "seconds": (streak[0][0] - committed) if stale else 0.0,
                "last_stale": (last_stale - committed) if stale else None,
                "stale_after_commit": len(stale),
                "requests": len(after),
                "workers": len({s[2] for s in streak}),
            }
            break
    stop.set()
    for thread in threads:
        thread.join()
    return result or {"seconds": None, "requests": len(seen)}


# --- the run ----------------------------------------------------------------

# (section, page name from the inspection, server, compared with, goal)
ROWS = [
    ("baseline", "bare Django app", "bare", "bare", None),
    ("baseline", "healthz", "uncached", "bare", None),
    ("baseline", "reference page", "reference", "bare", None),
    ("uncached", "home", "uncached", "reference", "filter"),
    ("uncached", "district", "uncached", "reference", "filter"),
    ("uncached", "service", "uncached", "reference", "filter"),
    ("uncached", "target group", "uncached", "reference", "filter"),
    ("uncached", "dates", "uncached", "reference", "filter"),
    ("uncached", "district + service", "uncached", "reference", "filter"),
    ("uncached", "page 3", "uncached", "reference", "filter"),
    ("uncached", "event page", "uncached", "reference", "event"),
    ("uncached", "Atom feed", "uncached", "reference", "atom"),
    ("uncached", "calendar", "uncached", None, "calendar"),
    ("uncached", "district calendar", "uncached", None, "calendar"),
    ("api", "API list", "uncached", "home", "api"),
    ("api", "API list, district", "uncached", "home", "api"),
    ("cached", "home", "cached", "bare", "hit"),
    ("cached", "event page", "cached", "bare", "hit"),
]


# What a row's "compared with" names.
BASES = {
    "bare": ("baseline", "bare Django app"),
    "reference": ("baseline", "reference page"),
    "home": ("uncached", "home"),
}


def chosen_rows(only: list[str]) -> list[tuple]:
    """The rows named in --only (all without it), and the rows they need as base."""
    if not only:
        return ROWS
    unknown = set(only) - {name for _section, name, *_rest in ROWS}
    if unknown:
        raise SystemExit(f"no such row: {', '.join(sorted(unknown))}")
    wanted = {(section, name) for section, name, *_rest in ROWS if name in only}
    for _round in range(3):  # a base's own base
        for section, name, _server, base, _goal in ROWS:
            if (section, name) in wanted and base is not None:
                wanted.add(BASES[base])
    return [row for row in ROWS if (row[0], row[1]) in wanted]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument(
        "--sqlite", action="store_true", help="SQLite files, not PostgreSQL"
    )
    parser.add_argument("--database-url", help="the site's database (default by size)")
    parser.add_argument(
        "--reference-database-url", help="the reference page's database"
    )
    parser.add_argument(
        "--duration", type=int, default=3, help="seconds per row and round"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--hostile-connections", type=int, default=8)
    parser.add_argument("--stale-trials", type=int, default=3)
    parser.add_argument("--stale-consecutive", type=int, default=20)
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set in every site server and the counting subprocess (repeatable)",
    )
    parser.add_argument(
        "--hostile-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set only in the server of the hostile loop and staleness (repeatable), "
        "e.g. a per-client budget that would also throttle the measured rows",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of every query"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="PAGE",
        help="measure only these rows (page names, e.g. 'API list'), with the "
        "rows they are compared with",
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["hostile", "stale"], help="leave out"
    )
    parser.add_argument(
        "--child", choices=["reference", "inspect"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    started = time.monotonic()
    rows = chosen_rows(args.only)

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    if loader == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (or --loader python)")
    load = public.wrk if loader == "wrk" else public.python_load

    site_url, reference_url = default_databases(args.events, args.sqlite)
    site_url = args.database_url or site_url
    reference_url = args.reference_database_url or reference_url
    public.fresh_cache()
    public.prepare(site_url, args.events)
    if reference_url.startswith("postgres"):
        public.ensure_postgres_database(reference_url)
    reference = child(
        reference_env("reference.settings", reference_url), "--child", "reference"
    )
    log(f"Reference table: {reference['rows']} rows")

    def site_env(cache_seconds: int, extra: list[str] = ()) -> dict:
        env = public.bench_env(site_url, cache_seconds)
        return with_pairs(env, [*args.server_env, *extra])

    def inspect(cache_seconds: int, *flags: str) -> dict:
        # The counting process has a cache of its own (no run's pages).
        env = dict(site_env(cache_seconds), CACHE_URL="")
        return child(env, "--child", "inspect", *flags)

    log("Counting queries …")
    found = inspect(0, *(["--explain"] if args.explain else []))
    hits = inspect(60)
    paths = found["paths"]
    log(f"{found['events']} events; event page {paths['event page']}")

    servers = {
        "uncached": public.Server(
            env=site_env(0), workers=args.workers, port=PORTS["uncached"]
        ),
        "cached": public.Server(
            env=site_env(60), workers=args.workers, port=PORTS["cached"]
        ),
        "bare": public.Server(
            env=reference_env("reference.bare", reference_url),
            workers=args.workers,
            port=PORTS["bare"],
            app="reference.wsgi:application",
            pythonpath=str(BENCH),
            ready="/",
        ),
        "reference": public.Server(
            env=reference_env("reference.settings", reference_url),
            workers=args.workers,
            port=PORTS["reference"],
            app="reference.wsgi:application",
            pythonpath=str(BENCH),
            ready="/",
        ),
    }
    if set(args.skip) != {"hostile", "stale"}:
        servers["second"] = public.Server(
            env=site_env(60, args.hostile_env),
            workers=args.workers,
            port=PORTS["second"],
            app="reference.worker_pid:application",
            pythonpath=str(BENCH),
        )

    def row_path(server: str, name: str) -> str:
        return "/" if server in ("bare", "reference") else paths[name]

    load_before = os.getloadavg()
    runs = {(section, name): [] for section, name, *_rest in rows}
    alone, during, hostile_statuses = [], [], {}
    stale = []
    first, statuses = {}, {}
    with ExitStack() as stack:
        for server in servers.values():
            stack.enter_context(server)
        for section, name, server, *_rest in rows:
            port, path = PORTS[server], row_path(server, name)
            clock = time.monotonic()
            statuses[(section, name)] = fetch(port, path)[0]
            first[(section, name)] = (time.monotonic() - clock) * 1000
            warm(port, path, args.workers * 2)
        if "second" in servers:
            warm(PORTS["second"], "/", args.workers * 2)
        today = date.fromisoformat(found["today"])
        for round_number in range(1, args.rounds + 1):
            order = rows if round_number % 2 else rows[::-1]
            for section, name, server, *_rest in order:
                port, path = PORTS[server], row_path(server, name)
                result = load(
                    path,
                    duration=args.duration,
                    connections=args.connections,
                    port=port,
                )
                runs[(section, name)].append(result)
                public.settle(
                    port=port,
                    path="/" if server in ("bare", "reference") else "/healthz",
                )
                log(
                    f"  round {round_number}  {section:<8} {name:<20} "
                    f"{result['rps']:8.1f} req/s"
                )
            if "hostile" in args.skip:
                continue
            port = PORTS["second"]
            for phase in (
                ("alone", "during") if round_number % 2 else ("during", "alone")
            ):
                if phase == "alone":
                    result = load(
                        "/",
                        duration=args.duration,
                        connections=args.connections,
                        port=port,
                    )
                    alone.append(result)
                else:
                    with Hostile(
                        port, args.hostile_connections, found["choices"], today
                    ) as hostile:
                        result = load(
                            "/",
                            duration=args.duration,
                            connections=args.connections,
                            port=port,
                        )
                    during.append(result)
                    for status, count in hostile.statuses.items():
                        hostile_statuses[status] = (
                            hostile_statuses.get(status, 0) + count
                        )
                public.settle(port=port)
                log(
                    f"  round {round_number}  hostile  home {phase:<14} {result['rps']:8.1f} req/s"
                )
        if "stale" not in args.skip:
            stale_env = site_env(60, args.hostile_env)
            original = found["title"]
            try:
                for trial in range(1, args.stale_trials + 1):
                    result = staleness(
                        stale_env,
                        PORTS["second"],
                        [paths["event page"], "/", paths["calendar"]],
                        found["slug"],
                        workers=args.workers,
                        consecutive=args.stale_consecutive,
                    )
                    stale.append(result)
                    log(f"  staleness trial {trial}: {result}")
            finally:
                edit_title(stale_env, found["slug"], original)
    load_after = os.getloadavg()

    # --- the table ---
    def ratio(section: str, name: str, base: str | None) -> float | None:
        if base is None:
            return None
        base_key = BASES[base]
        return statistics.median(
            r["rps"] / max(b["rps"], 0.001)
            for r, b in zip(runs[(section, name)], runs[base_key], strict=True)
        )

    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=ROOT,
        text=True,
        capture_output=True,
    ).stdout.strip()
    print()
    print(
        f"Command: `{' '.join(['.venv/bin/python', 'bench/uncached.py', *sys.argv[1:]])}` "
        f"at {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on {commit or '?'}"
    )
    print()
    print(
        f"Issue 11, {found['today']}: {found['events']} events, {found['vendor']} "
        f"(`{urlsplit(site_url).path.lstrip('/') if found['vendor'] == 'postgresql' else site_url}`), gunicorn {args.workers} sync workers per server, "
        f"{loader} {args.connections} connections, median of {args.rounds} rounds of "
        f"{args.duration} s per row (order reversed every other round); {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"extra server env: {' '.join(args.server_env) or 'none'}; "
        f"hostile-loop server env: {' '.join(args.hostile_env) or 'none'}"
    )
    print()
    print(
        "| section | page | path | status | queries | bytes | first ms | req/s | p50 ms | p99 ms | ratio | goal |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    verdicts = []
    for section, name, server, base, goal in rows:
        results = runs[(section, name)]
        rps = statistics.median(r["rps"] for r in results)
        p50 = statistics.median(r["p50"] for r in results)
        p99 = statistics.median(r["p99"] for r in results)
        errors = sum(r["errors"] for r in results)
        value = ratio(section, name, base)
        if server in ("bare", "reference"):
            queries = reference["queries"] if server == "reference" else 0
            size = reference["bytes"] if server == "reference" else 2
        else:
            counts = hits if section == "cached" else found
            queries, size = counts["counts"][name], counts["sizes"][name]
        shown = f"{value:.2f} of {base}" if value is not None else "–"
        verdict = ""
        if goal == "calendar":
            met = rps >= CALENDAR_GOAL
            verdict = f"{'met' if met else 'MISSED'} (≥ {CALENDAR_GOAL} req/s)"
        elif goal:
            met = value >= GOALS[goal]
            verdict = f"{'met' if met else 'MISSED'} (≥ {GOALS[goal]})"
        if goal:
            verdicts.append(met)
        status = statuses[(section, name)]
        print(
            f"| {section} | {name} | `{row_path(server, name)}` | {status}"
            f"{f' ({errors} errors)' if errors else ''} | {queries} | {size} "
            f"| {first[(section, name)]:.0f} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {shown} | {verdict} |"
        )
    if alone:
        home_alone = statistics.median(r["rps"] for r in alone)
        home_during = statistics.median(r["rps"] for r in during)
        value = statistics.median(
            d["rps"] / max(a["rps"], 0.001) for a, d in zip(alone, during, strict=True)
        )
        met = value >= GOALS["hostile"]
        verdicts.append(met)
        total = sum(hostile_statuses.values())
        counted = ", ".join(
            f"{count} × {status}"
            for status, count in sorted(hostile_statuses.items(), key=str)
        )
        print(
            f"| hostile loop | home alone → during the loop ({args.hostile_connections} connections "
            f"from {HOSTILE_SOURCE}: {total} requests, {counted}) | `/` | – | – | – | – "
            f"| {home_alone:.0f} → {home_during:.0f} | – | – | {value:.2f} of alone "
            f"| {'met' if met else 'MISSED'} (≥ {GOALS['hostile']}) |"
        )
    if stale:
        seconds = [s["seconds"] for s in stale]
        known = [s for s in seconds if s is not None]
        worst = max(known) if len(known) == len(seconds) else None
        met = worst is not None and worst <= STALE_GOAL
        verdicts.append(met)
        shown = ", ".join(f"{s:.2f}" if s is not None else "> 15" for s in seconds)
        print(
            f"| staleness | event page, home and calendar after an edit, {args.workers} workers, "
            f"shared Redis ({args.stale_consecutive} fresh in a row) | `{paths['event page']}`, `/`, `{paths['calendar']}` "
            f"| – | – | – | – | – | – | – | {shown} s | "
            f"{'met' if met else 'MISSED'} (≤ {STALE_GOAL:g} s) |"
        )
    print()
    print(
        f"Goals met: {sum(verdicts)} of {len(verdicts)}. Reference page: {reference['rows']} rows, "
        f"{reference['queries']} queries. Cached rows' queries are a hit's. "
        f"Staleness trials: {json.dumps(stale)}"
    )
    if args.explain:
        print_plans(found)
    log(f"Run took {time.monotonic() - started:.0f} s")


def print_plans(found: dict) -> None:
    flagged = 0
    print()
    print("## Query plans (uncached, second request of each page)")
    for name, plans in found["plans"].items():
        print()
        print(f"### {name} `{found['paths'][name]}`: {len(plans)} SELECTs")
        for number, item in enumerate(plans, 1):
            flags = item["flags"]
            flagged += bool(flags)
            print()
            print(f"{number}. {'FLAGGED: ' + '; '.join(flags) if flags else 'ok'}")
            print()
            print("    " + item["sql"])
            print()
            print("\n".join("    " + line for line in item["plan"]))
    print()
    print(f"Queries flagged (Seq Scan or Sort over events_event): {flagged}")


if __name__ == "__main__":
    main()
