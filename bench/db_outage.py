#!/usr/bin/env python
"""Stop the database under load and start it again: what do visitors get?

Runs a private PostgreSQL cluster (initdb in a temporary folder, its own port,
never the shared server on 5432), migrates and seeds it, starts gunicorn on
loopback against it with the production settings, and loads the portal in
phases: before, while the cluster is stopped, after it was started again,
and after a restart with no request in between (stale connections). Prints
a table of status codes per address and phase, then removes everything it
made.

    .venv/bin/python bench/db_outage.py              # about a minute, as root
    .venv/bin/python bench/db_outage.py --rounds 20

initdb and pg_ctl refuse to run as root: they run as the ``postgres`` user
(``runuser``), in a folder that user owns. See bench/README.md.
"""

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from first_jobcenter import FIRST_JOBCENTER_SCOPE

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
STAFF = ("ausfall-bench", "ausfall-bench-passwort-0123")
TIMEOUT = 10  # seconds per request: a hanging request counts as "timeout"
DEADLINE = 240  # seconds for the whole run, setup included


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free loopback port."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise SystemExit("no free port")


class Cluster:
    """A throw-away PostgreSQL cluster owned by the postgres user."""

    def __init__(self, folder: Path, port: int):
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.running = False

    def as_postgres(self, program: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(PG_BIN / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.folder,
            timeout=60,
        )

    def init(self) -> None:
        user = pwd.getpwnam("postgres")
        os.chown(self.folder, user.pw_uid, user.pw_gid)
        self.as_postgres(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST}"
        self.as_postgres(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "pg.log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        # "fast": sessions are cut off, as when the server restarts or fails over.
        self.as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self.running = False

    def url(self, name: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        import psycopg2

        connection = psycopg2.connect(
            host=HOST, port=self.port, user="postgres", dbname="postgres"
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()


def portal_env(database_url: str, static_root: Path, base: str) -> dict:
    """Production settings; TLS relaxed for loopback, the public cache off.

    With PUBLIC_CACHE_SECONDS on, anonymous visitors would get cached pages
    for a minute into the outage: true, but it would hide what this measures.
    The rate limit and the minimum fill time are off, so one visitor may send
    the form again and again.
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="quartier.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-never-used-in-production-0123456789",
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        CONN_MAX_AGE="60",
        STATIC_ROOT=str(static_root),
        SITE_URL=base,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PUBLIC_CACHE_SECONDS="0",
        FEEDBACK_RATE_LIMIT="0",
        FEEDBACK_MIN_FILL_SECONDS="0",
        # Two workers need a shared cache (gunicorn refuses otherwise): this
        # benchmark's own Redis database. The page cache stays off (above).
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
        timeout=180,
    )
    return result.stdout


# A published event that started an hour ago (feedback open), and a staff user
# (their permissions come from their role in the Jobcenter).
PREPARE = (
    FIRST_JOBCENTER_SCOPE
    + f"""
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from events.models import Event
event = Event.objects.published().upcoming().order_by("start")[0]
length = event.end - event.start
event.start = timezone.now() - timedelta(hours=1)
event.end = event.start + length
event.save()
user = User.objects.create_user({STAFF[0]!r}, password={STAFF[1]!r}, is_staff=True)
Membership.objects.create(user=user, jobcenter=jobcenter, role="mitarbeitende")
print(event.slug, event.short_code)
"""
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: own cookies, no redirects followed, statuses as they come."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Referer", self.base + path)  # CSRF origin check
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (TimeoutError, OSError):
            return "timeout", ""

    def csrf_token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class FormFields(HTMLParser):
    """The named inputs of a page (hidden and text), for sending a form back."""

    def __init__(self, page: str):
        super().__init__()
        self.fields = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and "name" in attrs:
            self.fields.append((attrs["name"], attrs.get("value") or ""))


class Visits:
    """The requests of one round; each returns a status."""

    def __init__(self, base: str, slug: str, code: str):
        self.base, self.slug, self.code = base, slug, code
        self.staff = Browser(base)
        self.visitor = Browser(base)
        self.started = ""  # the form's signed start time
        self.resend = None  # the fields of a 503 page's "send again" form

    def prepare(self) -> None:
        login = self.staff.request("/admin/login/")
        assert login[0] == 200, login[0]
        status, _ = self.staff.request("/admin/login/", self.login_data(self.staff))
        assert status == 302, status
        status, page = self.visitor.request(f"/f/{self.code}/")
        assert status == 200, status
        self.started = dict(FormFields(page).fields)["started"]

    def login_data(self, browser: Browser) -> list[tuple[str, str]]:
        return [
            ("csrfmiddlewaretoken", browser.csrf_token()),
            ("username", STAFF[0]),
            ("password", STAFF[1]),
            ("next", "/admin/"),
        ]

    def targets(self) -> dict:
        return {
            "home `/`": lambda: Browser(self.base).request("/")[0],
            "event page": lambda: Browser(self.base).request(
                f"/veranstaltungen/{self.slug}/"
            )[0],
            "admin login (POST)": self.admin_login,
            "admin, logged in": lambda: self.staff.request("/admin/")[0],
            "`/readyz`": lambda: Browser(self.base).request("/readyz")[0],
            "`/healthz`": lambda: Browser(self.base).request("/healthz")[0],
            "feedback POST": self.feedback,
        }

    def admin_login(self):
        # The login form itself needs no database; signing in does.
        browser = Browser(self.base)
        browser.request("/admin/login/")
        status, _ = browser.request("/admin/login/", self.login_data(browser))
        return status

    def feedback(self):
        data = [
            ("csrfmiddlewaretoken", self.visitor.csrf_token()),
            ("rating_overall", "5"),
            ("comment", 'Gut "beraten" & <danke>'),
            ("started", self.started),
        ]
        status, page = self.visitor.request(f"/f/{self.code}/", data)
        if status == 503 and "Noch einmal senden" in page and self.resend is None:
            self.resend = FormFields(page).fields
        return status


def run_phase(visits: Visits, rounds: int) -> dict[str, Counter]:
    targets = visits.targets()
    counts = {name: Counter() for name in targets}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(rounds):
            futures = {name: pool.submit(call) for name, call in targets.items()}
            for name, future in futures.items():
                counts[name][future.result()] += 1
    return counts


def table(phases: dict[str, dict[str, Counter]]) -> str:
    names = list(next(iter(phases.values())))
    lines = [
        "| address | " + " | ".join(phases) + " |",
        "|---|" + "---|" * len(phases),
    ]
    for name in names:
        cells = [
            ", ".join(
                f"{status} ×{n}" for status, n in sorted(counts[name].items(), key=str)
            )
            for counts in phases.values()
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def stored_feedback(cluster: Cluster) -> int:
    import psycopg2

    connection = psycopg2.connect(
        host=HOST, port=cluster.port, user="postgres", dbname="quartier"
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM feedback_feedback")
        (count,) = cursor.fetchone()
    connection.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds per phase")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--http-port", type=int, default=8754)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("Run as root: initdb and pg_ctl run as the postgres user.")
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("deadline reached"))
    signal.alarm(DEADLINE)

    folder = Path(tempfile.mkdtemp(prefix="quartier-outage-"))
    cluster = Cluster(folder, free_port(args.pg_port))
    http_port = free_port(args.http_port)
    base = f"http://{HOST}:{http_port}"
    server = None
    started = time.monotonic()
    try:
        log(f"PostgreSQL cluster in {folder} on port {cluster.port} …")
        cluster.init()
        cluster.start()
        cluster.create_database("quartier")
        env = portal_env(cluster.url("quartier"), folder / "static", base)
        log("migrate, setup_roles, seed_demo, collectstatic …")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "setup_roles", "-v0")
        # One Jobcenter: it answers on 127.0.0.1 (the second isn't measured).
        manage(env, "seed_demo", "--first-only", "-v0")
        manage(env, "compilemessages", "--ignore=.venv", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        slug, code = manage(env, "shell", "-c", PREPARE).split()[-2:]

        gunicorn_log = (folder / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "-c", "python:quartier.gunicorn",
                "quartier.wsgi:application", "--bind", f"{HOST}:{http_port}",
                "--workers", str(args.workers),
            ],
            cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(base + "/healthz", server)
        visits = Visits(base, slug, code)
        visits.prepare()
        stored_before = stored_feedback(cluster)
        log(f"gunicorn on {base} ({args.workers} workers); loading …")

        phases = {}
        phases["before"] = run_phase(visits, args.rounds)
        cluster.stop()
        stopped = time.monotonic()
        phases["database stopped"] = run_phase(visits, args.rounds)
        outage_seconds = time.monotonic() - stopped
        cluster.start()
        phases["after restart"] = run_phase(visits, args.rounds)
        # Restarted while no request came: every worker holds a persistent
        # connection the server has cut off. The health check (CONN_HEALTH_CHECKS)
        # notices it before the first query and connects afresh.
        cluster.stop()
        cluster.start()
        phases["after an idle restart"] = run_phase(visits, args.rounds)
        resent = "not offered"
        if visits.resend:
            resent = visits.visitor.request(f"/f/{code}/", visits.resend)[0]

        print(table(phases))
        print()
        print(f"The phase with the database stopped took {outage_seconds:.1f} s.")
        accepted = sum(counts["feedback POST"][302] for counts in phases.values()) + (
            resent == 302
        )
        print()
        print(
            f"Feedback sent again from a 503 page after the restart: {resent}. "
            f"Stored by this run: {stored_feedback(cluster) - stored_before} "
            f"(answered 302: {accepted})."
        )
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        server = None
        gunicorn_log.close()
        errors = [
            json.loads(line)
            for line in (folder / "gunicorn.log").read_text().splitlines()
            if line.startswith("{")
        ]
        print(
            f"JSON error lines logged: {len(errors)} "
            f"({dict(Counter(line['status'] for line in errors))}); one of them:"
        )
        sample = next(
            (line for line in errors if line.get("view") == "feedback:form"), None
        )
        print(json.dumps(sample, ensure_ascii=False))
        print(f"\nTotal run time: {time.monotonic() - started:.0f} s")
    finally:
        signal.alarm(0)
        if server is not None:
            server.kill()
            server.wait()
        if cluster.running:
            cluster.stop(mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)


def wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


if __name__ == "__main__":
    main()
