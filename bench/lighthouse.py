#!/usr/bin/env python
"""Lighthouse (mobile) on the home page, an event page and the feedback form.

Seeds the demo data into a separate database, collects the static files,
serves the portal with gunicorn and the production settings (DEBUG off,
WhiteNoise) on loopback, and runs Lighthouse, pinned in bench/lighthouse/,
against Debian's Chromium, headless. Nothing leaves the machine.

    .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --database-url postgres://postgres@127.0.0.1:5432/quartier_bench_lighthouse

Runs each page three times (--runs) and keeps the median run by
performance. Prints a table of the four category scores per page and, below
it, every audit that cost points; exits with 1 if a score is below --goal (95).
See docs/phone.md ("Measured: Lighthouse and screenshots").
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from first_jobcenter import FIRST_JOBCENTER_SCOPE

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
PYTHON = sys.executable
HOST = "127.0.0.1"
DEFAULT_PORT = 8702
DEFAULT_DB = "sqlite:////tmp/quartier-bench-lighthouse.sqlite3"
STATIC_ROOT = "/tmp/quartier-bench-lighthouse-static"
SERVER_LOG = "/tmp/quartier-bench-lighthouse-server.log"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"

# An event whose feedback form is open: it started an hour ago. Printed as
# "<slug> <short code>" for the event page and the form.
OPEN_EVENT = (
    FIRST_JOBCENTER_SCOPE
    + """
from datetime import timedelta
from django.utils import timezone
from events.models import Event
now = timezone.now()
model = Event.objects.published().upcoming().order_by("start").first()
event = Event.objects.filter(
    translations__title="Jobcenter im Quartier: heute"
).first() or Event(
    title="Jobcenter im Quartier: heute", status=Event.Status.PUBLISHED
)
event.location, event.motto = model.location, model.motto
event.description, event.languages = model.description, model.languages
event.start, event.end = now - timedelta(hours=1), now + timedelta(hours=3)
event.save()
event.services.set(model.services.all())
print(event.slug, event.short_code)
"""
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12")


def server_env(database_url: str, port: int) -> dict:
    """Production settings, relaxed only where loopback has no TLS."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="quartier.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-never-used-in-production-0123456789",
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        STATIC_ROOT=STATIC_ROOT,
        SITE_URL=f"http://{HOST}:{port}",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
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


def ensure_lighthouse() -> None:
    """Install the pinned Lighthouse with npm ci once (from package-lock.json)."""
    if LIGHTHOUSE_CLI.exists():
        return
    log("Installing Lighthouse (npm ci in bench/lighthouse) …")
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True
    )


def prepare(env: dict) -> dict[str, str]:
    """Migrate, seed, compile, collect; return the pages to measure."""
    if env["DATABASE_URL"].startswith("postgres"):
        sys.path.insert(0, str(ROOT / "bench"))
        from public import ensure_postgres_database

        ensure_postgres_database(env["DATABASE_URL"])
    log(f"Preparing {env['DATABASE_URL']} …")
    manage(env, "migrate", "--noinput", "-v0")
    # One Jobcenter: it answers on 127.0.0.1 (the second isn't measured).
    manage(env, "seed_demo", "--first-only", "-v0")
    manage(env, "compilemessages", "--ignore=.venv", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    slug, code = manage(env, "shell", "-c", OPEN_EVENT, capture=True).split()[-2:]
    return {
        "home page": "/",
        "event page": f"/veranstaltungen/{slug}/",
        "feedback form": f"/f/{code}/",
    }


class Server:
    """gunicorn on loopback, started and stopped by this script only."""

    def __init__(self, env: dict, port: int):
        self.env, self.port, self.process = env, port, None

    def __enter__(self):
        self.log = open(SERVER_LOG, "w")
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "-c",
                "python:quartier.gunicorn",
                "quartier.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
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
        self.log.close()


def lighthouse(url: str, chrome: str, report: Path) -> dict:
    """One Lighthouse run in its default mobile mode; the parsed JSON report.

    Lighthouse now and then fails to record the trace of a page load
    (NO_NAVSTART, a runtime error, not a score): such a run is tried again,
    up to three times in all.
    """
    command = [
        "node",
        str(LIGHTHOUSE_CLI),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--locale=en",
    ]
    for attempt in range(1, 4):
        result = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome})
        if result.returncode == 0:
            return json.loads(report.read_text())
        log(f"Lighthouse failed (attempt {attempt} of 3)")
    raise SystemExit(f"Lighthouse failed three times on {url}")


def lost_points(report: dict) -> list[str]:
    """The weighted audits that did not pass, per category."""
    lines = []
    for name in CATEGORIES:
        category = report["categories"][name]
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(
                    f"{category['title']}: {audit['title']} "
                    f"(score {audit['score']:.2f}, weight {ref['weight']})"
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--goal", type=int, default=95)
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument(
        "--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    )
    parser.add_argument(
        "--reports",
        type=Path,
        default=Path(tempfile.gettempdir()) / "quartier-lighthouse",
        help="folder for the JSON reports (open them in the Lighthouse viewer)",
    )
    args = parser.parse_args()
    args.reports.mkdir(parents=True, exist_ok=True)
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()  # no page from an earlier run

    ensure_lighthouse()
    env = server_env(args.database_url, args.port)
    pages = prepare(env)
    rows, details = [], []
    with Server(env, args.port):
        for label, path in pages.items():
            url = f"http://{HOST}:{args.port}{path}"
            runs = []
            for run in range(1, args.runs + 1):
                log(f"Lighthouse: {label} ({url}), run {run} of {args.runs} …")
                slug = f"{label.replace(' ', '-')}-{run}"
                report = lighthouse(url, args.chrome, args.reports / f"{slug}.json")
                runs.append(report)
            # The median run by performance, as Lighthouse advises: the other
            # categories hardly vary, performance does with the machine's load.
            runs.sort(key=lambda r: r["categories"]["performance"]["score"])
            report = runs[len(runs) // 2]
            scores = [
                round(report["categories"][name]["score"] * 100) for name in CATEGORIES
            ]
            spread = [
                round(r["categories"]["performance"]["score"] * 100) for r in runs
            ]
            rows.append((label, path, scores, spread))
            details += [f"- {label}: {line}" for line in lost_points(report)]

    version = report["lighthouseVersion"]
    print(f"Lighthouse {version}, mobile (default), Chromium at {args.chrome}")
    print(f"Reports in {args.reports}, server log in {SERVER_LOG}\n")
    print(
        f"Median run of {args.runs} per page (performance of every run in brackets)\n"
    )
    print("| page | address | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|---|")
    for label, path, scores, spread in rows:
        performance = f"{scores[0]} ({', '.join(map(str, spread))})"
        cells = [performance, *map(str, scores[1:])]
        print(f"| {label} | `{path}` | " + " | ".join(cells) + " |")
    if details:
        print("\nPoints lost:\n" + "\n".join(details))
    below = [
        score for *_, scores, _spread in rows for score in scores if score < args.goal
    ]
    if below:
        print(f"\nFAILED: {len(below)} score(s) below {args.goal}.")
        sys.exit(1)
    print(f"\nAll scores at least {args.goal}.")


if __name__ == "__main__":
    main()
