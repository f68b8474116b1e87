"""Benchmark: 1,000 visitors send the feedback form at once, over real HTTP.

Seeds one open event into its own PostgreSQL database, serves the portal with
gunicorn on 127.0.0.1:8702 (rate limit and minimum fill time off), and lets
many threads each GET the form (CSRF cookie and token, signed start time) and
POST it with a unique comment token. Then it counts in the database that every
submission is stored exactly once, and prints a table.

    .venv/bin/python bench/feedback_http.py [--submissions 1000] [--concurrency 32]
        [--workers 4] [--database postgres://postgres@127.0.0.1:5432/quartier_bench_feedback]

Only loopback traffic; every request has a timeout and the run stops by itself.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from first_jobcenter import first_jobcenter_scope

ROOT = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", 8702
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/quartier_bench_feedback"
REQUEST_TIMEOUT = 30
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_RE = re.compile(r'name="started" value="([^"]+)"')


def server_environment(database_url: str, static_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
        "FEEDBACK_RATE_LIMIT": "0",
        # Several workers need a shared cache (gunicorn refuses otherwise);
        # this benchmark's own Redis database, emptied at the start.
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/11"),
        "FEEDBACK_MIN_FILL_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


def create_database(database_url: str) -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"],
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed_open_event(env: dict, run_id: str) -> str:
    """Create one event whose feedback form is open; return its short code."""
    os.environ.update(env)
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from events.models import District, Event, Location, ServiceOffering

    with first_jobcenter_scope():
        district, _ = District.objects.get_or_create(
            slug="bench", defaults={"name": "Bench"}
        )
        location = Location.objects.create(
            name=f"Bench {run_id}",
            street="Teststraße 1",
            postcode="75175",
            district=district,
        )
        # The title is a translated field (django-parler): looked up in its rows.
        service = ServiceOffering.objects.filter(
            translations__title="Bench-Beratung"
        ).first() or ServiceOffering.objects.create(
            title="Bench-Beratung",
            category=ServiceOffering.Category.CAREER_DEVELOPMENT,
        )
        start = timezone.now() - timedelta(hours=1)
        event = Event.objects.create(
            title=f"Benchmark {run_id}",
            location=location,
            start=start,
            end=start + timedelta(hours=4),
            status=Event.Status.PUBLISHED,
        )
        event.services.set([service])
        return event.short_code


def stored_counts(code: str, run_id: str) -> tuple[int, int, int]:
    """Rows stored, distinct tokens among them, and the event's FeedbackTotals count."""
    from django.db.models import Count

    from feedback.models import Feedback, FeedbackTotals

    with first_jobcenter_scope():
        rows = Feedback.objects.filter(
            event__short_code=code, comment__startswith=f"bench {run_id} "
        )
        total = rows.count()
        distinct = rows.values("comment").annotate(n=Count("id")).count()
        totals = FeedbackTotals.objects.filter(event__short_code=code).first()
        return total, distinct, totals.feedback if totals else 0


def start_server(env: dict, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "quartier.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{PORT}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) the gunicorn workers have used so far (Linux)."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    except OSError:
        return float("nan")
    ticks = 0
    for pid in children.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submit(code: str, run_id: str, number: int) -> tuple[str, float, float]:
    """One visitor: GET the form, POST it; 'ok' if redirected to the thanks page.

    Returns the outcome and the seconds the GET and the POST took.
    """
    began = time.perf_counter()
    posted = began
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), NoRedirect
    )
    form_url = f"http://{HOST}:{PORT}/f/{code}/"
    try:
        with opener.open(form_url, timeout=REQUEST_TIMEOUT) as response:
            page = response.read().decode()
        posted = time.perf_counter()
        data = {
            "csrfmiddlewaretoken": TOKEN_RE.search(page).group(1),
            "started": STARTED_RE.search(page).group(1),
            "rating_overall": str(number % 5 + 1),
            "heard_via": "poster",
            "would_come_again": "yes",
            "comment": f"bench {run_id} {number:05d}",
        }
        request = urllib.request.Request(
            form_url, data=urllib.parse.urlencode(data).encode(), method="POST"
        )
        try:
            with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                status, location = response.status, ""
        except urllib.error.HTTPError as redirect:
            status, location = redirect.code, redirect.headers.get("Location", "")
        ok = status == 302 and location.endswith(f"/f/{code}/danke/")
        outcome = "ok" if ok else f"HTTP {status}"
    except (OSError, AttributeError) as error:
        outcome = type(error).__name__
    return outcome, posted - began, time.perf_counter() - posted


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"{statistics.median(ordered) * 1000:,.0f} / {p95 * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_FEEDBACK_DATABASE_URL", DEFAULT_DATABASE),
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    run_id = uuid.uuid4().hex[:8]

    static_root = tempfile.mkdtemp(prefix="quartier-bench-static-")
    env = server_environment(args.database, static_root)
    server = None
    try:
        create_database(args.database)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        code = seed_open_event(env, run_id)
        server = start_server(env, args.workers)

        cpu_before = workers_cpu_seconds(server)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(
                pool.map(lambda n: submit(code, run_id, n), range(args.submissions))
            )
        wall = time.perf_counter() - began
        server_cpu = workers_cpu_seconds(server) - cpu_before
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    stored, distinct, counted = stored_counts(code, run_id)
    outcomes = [outcome for outcome, _, _ in results]
    errors = len(outcomes) - outcomes.count("ok")
    gets = [get for _, get, _ in results]
    posts = [post for _, _, post in results]
    rows = [
        ("submissions sent (GET + POST each)", f"{args.submissions:,}"),
        (
            "concurrent clients / gunicorn workers",
            f"{args.concurrency} / {args.workers}",
        ),
        ("rows stored", f"{stored:,}"),
        ("duplicates", f"{stored - distinct:,}"),
        ("missing", f"{args.submissions - distinct:,}"),
        ("counted in the event's FeedbackTotals", f"{counted:,}"),
        ("errors", f"{errors:,}"),
        ("wall time", f"{wall:.1f} s"),
        ("submissions/s", f"{args.submissions / wall:.0f}"),
        (
            "server CPU per submission (all workers)",
            f"{server_cpu / args.submissions * 1000:.0f} ms",
        ),
        ("GET form p50 / p95", percentiles(gets)),
        ("POST answers p50 / p95", percentiles(posts)),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"\nFeedback submissions over HTTP ({args.database.rsplit('/', 1)[-1]})")
    print(f"| {'what'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for label, value in rows:
        print(f"| {label.ljust(width)} | {value} |")
    if errors:
        kinds = sorted({outcome for outcome in outcomes if outcome != "ok"})
        print("error kinds:", ", ".join(kinds))
    if stored != args.submissions or distinct != stored or counted != stored or errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
