#!/usr/bin/env python
"""Two app servers, one database, one cache: no stale page, one rate limit.

Starts two gunicorn instances (two workers each, production settings with
DEBUG off, the public page cache on for 60 s) on 127.0.0.1:8711 and :8712,
against one PostgreSQL database (quartier_bench_two, created afresh and
dropped afterwards) and one Redis database (number 5, flushed before and
after). Then, as staff would and as visitors would:

1. warms the home page and an event page through both servers;
2. logs in to the admin on server A over HTTP and publishes a draft event
   (the admin's *publish* action), then asks server B for the home page
   8 times, right away and 1.5 s later: how many answers lack the event?
3. edits an event's title in the admin's change form on server A, then asks
   server B for the event page 8 times, right away and 1.5 s later;
4. changes a title with SQL behind Django's back (no signal): server B keeps
   answering from the cache, which shows the cache really is on;
5. sends the feedback form 14 times from one client, alternating between the
   servers, with FEEDBACK_RATE_LIMIT=10: the limit counts both together.

    .venv/bin/python bench/two_servers.py      # about 40 s

Prints a table; each step is bounded by timeouts; what it started it stops.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from first_jobcenter import FIRST_JOBCENTER_SCOPE

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PORTS = {"A": 8711, "B": 8712}
# BENCH_TWO_DATABASE and BENCH_CACHE_URL let two runs side by side keep apart.
DATABASE = os.environ.get("BENCH_TWO_DATABASE", "quartier_bench_two")
SERVER_URL = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")
# A staff member (role Mitarbeitende: may publish and edit events, and needs
# no second factor, unlike superusers and coordinators).
STAFF = ("bench-staff", "bench-only-password-2fa6c1")
TIMEOUT = 30
READS = 8
RATE_LIMIT = 10
SUBMISSIONS = 14
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_RE = re.compile(r'name="started" value="([^"]+)"')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(tmp: Path) -> dict:
    """Production settings, relaxed only where loopback has no TLS."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "y" * 40,
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": ",".join(f"http://{HOST}:{p}" for p in PORTS.values()),
        "DATABASE_URL": f"{SERVER_URL}/{DATABASE}",
        "CACHE_URL": REDIS_URL,
        "PUBLIC_CACHE_SECONDS": "60",
        # It measures two servers, not the per-client budget of page builds.
        "PUBLIC_BUILD_BUDGET": "0",
        "FEEDBACK_RATE_LIMIT": str(RATE_LIMIT),
        "FEEDBACK_MIN_FILL_SECONDS": "0",
        # The demo's evaluated event (July 2024) takes feedback again.
        "FEEDBACK_OPEN_DAYS": "100000",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stderr}")
    return result.stdout


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{SERVER_URL}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        timeout=60,
    )


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


PREPARE = (
    FIRST_JOBCENTER_SCOPE
    + f"""
from datetime import timedelta
from django.contrib.auth.models import User
from events.models import Event
from events.services import duplicate_event
from feedback.models import Feedback
first = Event.objects.published().upcoming().order_by("start").first()
draft = duplicate_event(first, start=first.start + timedelta(days=300))
draft.title = "Neu veröffentlicht (Bench)"
draft.save()
reviewed = Event.objects.filter(feedback__isnull=False).first()
user = User.objects.create_user({STAFF[0]!r}, password={STAFF[1]!r}, is_staff=True)
Membership.objects.create(user=user, jobcenter=jobcenter, role="mitarbeitende")
print(first.pk, first.slug, draft.pk, reviewed.short_code, reviewed.slug)
"""
)


class FormReader(HTMLParser):
    """The fields a browser would send for the form with the given id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file", "button"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value") or ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value.removeprefix("\n"))
            self.textarea = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor or staff member: own cookies, no redirects followed."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, server: str, path: str, data=None) -> tuple[int, str]:
        url = f"http://{HOST}:{PORTS[server]}{path}"
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        request = urllib.request.Request(url, data=body)
        if body:
            request.add_header("Referer", url)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace")

    def token(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


def start_servers(env: dict, tmp: Path) -> list[subprocess.Popen]:
    servers = []
    for name, port in PORTS.items():
        servers.append(
            subprocess.Popen(
                [
                    *(PYTHON, "-m", "gunicorn", "-c", "python:quartier.gunicorn"),
                    *("--bind", f"{HOST}:{port}", "--workers", "2"),
                    *("--log-level", "warning", "quartier.wsgi:application"),
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp / f"gunicorn-{name}.log", "w"),  # noqa: SIM115
            )
        )
    deadline = time.monotonic() + 30
    for name in PORTS:
        while True:
            try:
                if Browser().request(name, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"server {name} did not answer within 30 s")
            time.sleep(0.2)
    return servers


def stale_reads(server: str, path: str, fresh: str) -> int:
    """How many of READS anonymous requests lack the fresh text."""
    return sum(fresh not in Browser().request(server, path)[1] for _ in range(READS))


def after_change(rows: list, what: str, path: str, fresh: str) -> None:
    rows.append(
        (f"{what}: stale answers from B at once", stale_reads("B", path, fresh))
    )
    time.sleep(1.5)
    rows.append(
        (f"{what}: stale answers from B 1.5 s later", stale_reads("B", path, fresh))
    )


def run(env: dict, tmp: Path) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = []
    event_pk, slug, draft_pk, code, reviewed_slug = manage(
        env, "shell", "-v", "0", "-c", PREPARE
    ).split()
    event_page = f"/veranstaltungen/{slug}/"

    log("Warming the cache through both servers …")
    for server in PORTS:
        for path in ("/", event_page):
            for _ in range(2):
                Browser().request(server, path)

    staff = Browser()
    staff.request("A", "/admin/login/")
    status, _ = staff.request(
        "A",
        "/admin/login/?next=/admin/",
        {
            "username": STAFF[0],
            "password": STAFF[1],
            "csrfmiddlewaretoken": staff.token(),
        },
    )
    if status != 302:
        raise SystemExit(f"admin log-in on A answered {status}")
    status, _ = staff.request("A", "/admin/")
    if status != 200:
        raise SystemExit(f"after the log-in, the admin on A answered {status}")

    log("Publishing a draft in the admin on A …")
    status, _ = staff.request(
        "A",
        "/admin/events/event/",
        {
            "action": "publish",
            "_selected_action": [draft_pk],
            "csrfmiddlewaretoken": staff.token(),
        },
    )
    rows.append(("publish action on A (HTTP status)", status))
    after_change(rows, "publish, home page", "/", "Neu veröffentlicht (Bench)")

    log("Editing an event's title in the admin on A …")
    change = f"/admin/events/event/{event_pk}/change/"
    status, page = staff.request("A", change)
    form = FormReader("event_form")
    form.feed(page)
    new_title = "Geänderter Titel (Bench)"
    fields = [(k, new_title if k == "title" else v) for k, v in form.fields]
    status, page = staff.request("A", change, [*fields, ("_save", "Sichern")])
    if status != 302:
        errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
        raise SystemExit(f"the admin change form answered {status}: {errors}")
    rows.append(("title edited in the admin on A (HTTP status)", status))
    after_change(rows, "edit, event page", event_page, "Geänderter Titel")

    log("Changing a title with SQL, behind Django's back …")
    reviewed_page = f"/veranstaltungen/{reviewed_slug}/"
    for server in PORTS:  # cached again since the edit raised the generation
        Browser().request(server, reviewed_page)
    manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        # The title lives in the translation rows (django-parler).
        FIRST_JOBCENTER_SCOPE + "from events.models import Event\n"
        f"Event.objects.get(slug={reviewed_slug!r})"
        ".translations.update(title='Nur per SQL (Bench)')",
    )
    rows.append(
        (
            "SQL update, no signal: cached answers from B (cache on)",
            stale_reads("B", reviewed_page, "Nur per SQL"),
        )
    )

    log(f"Sending the feedback form {SUBMISSIONS} times over both servers …")
    outcomes = {"A": [], "B": []}
    for number in range(SUBMISSIONS):
        server = "AB"[number % 2]
        visitor = Browser()
        _, page = visitor.request(server, f"/f/{code}/")
        status, _ = visitor.request(
            server,
            f"/f/{code}/",
            {
                "csrfmiddlewaretoken": TOKEN_RE.search(page).group(1),
                "started": STARTED_RE.search(page).group(1),
                "rating_overall": "4",
                "heard_via": "poster",
                "would_come_again": "yes",
            },
        )
        outcomes[server].append(status)
    for server in PORTS:
        accepted = outcomes[server].count(302)
        refused = outcomes[server].count(429)
        rows.append(
            (
                f"feedback via {server}: accepted / refused (429)",
                f"{accepted} / {refused}",
            )
        )
    accepted = sum(o.count(302) for o in outcomes.values())
    rows.append(
        (f"feedback accepted in all (limit {RATE_LIMIT} per client and hour)", accepted)
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="quartier-bench-two-"))
    env = environment(tmp)
    servers: list[subprocess.Popen] = []
    try:
        log(f"Preparing {DATABASE} and Redis {REDIS_URL} …")
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        psql(f"CREATE DATABASE {DATABASE}")
        flush_redis()
        manage(env, "migrate", "--noinput", "-v", "0")
        # One Jobcenter: it answers on 127.0.0.1 (the second isn't measured).
        manage(env, "seed_demo", "--first-only", "-v", "0")
        manage(env, "compilemessages", "--ignore=.venv", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        log("Starting gunicorn A on :8711 and B on :8712 (two workers each) …")
        servers = start_servers(env, tmp)
        rows = run(env, tmp)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        flush_redis()

    print("| step | result |\n|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    print(f"\n{READS} reads per row; run took {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
