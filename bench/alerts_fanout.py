#!/usr/bin/env python
"""Fan-out of one new event to many subscribers by two workers: time and memory.

Seeds N confirmed subscriptions (COPY) into a PostgreSQL database derived from
DATABASE_URL's name (``<name>_alerts``), publishes one event (which queues its
alert in the publishing transaction), starts two ``manage.py alerts_worker``
processes and waits until every subscriber's delivery row is "sent". Prints
the wall time from publication to the last mail, mails per second, each
worker's CPU seconds, and each worker's resident memory (RSS) sampled from
/proc every 0.2 s: at its first mail (after start-up, when Django is loaded),
at 50 % and at the end, and its peak. Memory is flat when the peak is the
first mail's plus a constant, whatever the number of subscribers. The last
lines are a Markdown table row with the load average before and after.

Mails go to a backend that does locmem's work per message (builds the MIME
message, ``message.message()``) but keeps none: Django's locmem backend holds
every message in ``mail.outbox`` for tests to read, which alone grows by a few
KB per mail, so its memory is not the workers' (``--locmem`` uses it anyway).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/q_alerts \\
        .venv/bin/python bench/alerts_fanout.py --subscribers 100000

Goal (issue 13): under 5 minutes for 100,000 subscribers, memory flat.
"""

import argparse
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LANGUAGES = ["de", "de", "en", "tr", "ar", "uk"]


class CountingBackend:
    """locmem's work per message, without keeping the messages."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            message.message()
        return len(messages)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/q_alerts"
        )
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "quartier"
    return urlunsplit(parts._replace(path=f"/{name}_alerts"))


def env_for(url: str, locmem: bool) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"
        if locmem
        else "alerts_fanout.CountingBackend",
        "LOG_LEVEL": "WARNING",
    }


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts.path[1:]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{parts.path[1:]}"')
    admin.close()


def manage(env, *args) -> str:
    run = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if run.returncode:
        sys.exit(run.stdout + run.stderr)
    return run.stdout


SETUP = """
from jobcenters.scoping import jobcenter_scope
from tests.factories import EventFactory, first_jobcenter
jc = first_jobcenter()
with jobcenter_scope(jc):
    event = EventFactory(title="Neuer Termin für alle")
print("IDS", jc.pk, event.pk)
"""

PUBLISH = """
from jobcenters.scoping import jobcenter_scope
from events.models import Event
from events.services import publish_event
with jobcenter_scope(%d):
    publish_event(Event.objects.get(pk=%d))
"""


def seed(connection, jobcenter: int, n: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE alerts_delivery, alerts_notification, alerts_subscription, "
            "django_tasks_database_dbtaskresult"
        )
        rows = io.StringIO()
        for i in range(n):
            language = LANGUAGES[i % len(LANGUAGES)]
            rows.write(f"bench-{i}@example.org\t{language}\tf\tnow\t{jobcenter}\t\n")
        rows.seek(0)
        cursor.copy_expert(
            "COPY alerts_subscription (email, language, reminder, consented_at, "
            "jobcenter_id, category) FROM STDIN",
            rows,
        )
    connection.commit()


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (independent of load)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--locmem", action="store_true", help="Django's locmem backend")
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()

    url = bench_url()
    env = env_for(url, args.locmem)
    load_before = os.getloadavg()
    ensure_database(url)
    log(f"migrating {urlsplit(url).path[1:]} …")
    manage(env, "migrate", "-v0")
    connection = psycopg2.connect(url)
    ids = manage(env, "shell", "-c", SETUP).split("IDS", 1)[1].split()
    jobcenter, event = int(ids[0]), int(ids[1])
    log(f"seeding {args.subscribers:,} subscriptions (COPY) …")
    seed(connection, jobcenter, args.subscribers)

    started = time.monotonic()
    manage(env, "shell", "-c", PUBLISH % (jobcenter, event))
    workers = [
        subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "alerts_worker",
                "--no-reload",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "-v0",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(args.workers)
    ]
    samples: dict[int, list[tuple[int, int]]] = {w.pid: [] for w in workers}
    sent, counted = 0, 0.0
    try:
        while True:
            # Counting the sent rows is a scan of the delivery table: once a
            # second, so the bench's own queries do not slow the workers down.
            if time.monotonic() - counted >= 1.0:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM alerts_delivery WHERE status = 'sent'"
                    )
                    sent = cursor.fetchone()[0]
                connection.commit()
                counted = time.monotonic()
            for worker in workers:
                samples[worker.pid].append((sent, rss_kib(worker.pid)))
                if worker.poll() is not None:
                    sys.exit(f"worker {worker.pid} ended: {worker.returncode}")
            if sent >= args.subscribers:
                break
            if time.monotonic() - started > args.timeout:
                sys.exit(f"timeout: {sent:,} of {args.subscribers:,} sent")
            time.sleep(0.2)
        cpu = {worker.pid: cpu_seconds(worker.pid) for worker in workers}
        with connection.cursor() as cursor:
            # The last mail's own time, not the next poll's.
            cursor.execute(
                "SELECT extract(epoch FROM now() - max(updated_at)) FROM alerts_delivery"
            )
            since_last = float(cursor.fetchone()[0])
        connection.commit()
        elapsed = time.monotonic() - started - max(0.0, since_last)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM alerts_delivery GROUP BY status")
        statuses = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM (SELECT subscription_id FROM alerts_delivery "
            "GROUP BY subscription_id, event_id, kind HAVING count(*) > 1) d"
        )
        twice = cursor.fetchone()[0]
    load_after = os.getloadavg()
    print(f"subscribers          {args.subscribers:>10,}")
    print(f"workers              {args.workers:>10}")
    print(
        f"mail backend         {'locmem' if args.locmem else 'counting (locmem work, kept none)':>10}"
    )
    print(f"time to last mail    {elapsed:>10.1f} s   (goal: < 300 s)")
    print(f"mails per second     {args.subscribers / elapsed:>10.0f}")
    print(f"delivery rows        {statuses}  (any twice: {twice})")
    print(
        f"load average (1 min) {load_before[0]:>10.1f} before, {load_after[0]:.1f} after,"
        f" on {os.cpu_count()} CPUs"
    )
    for pid, seconds in cpu.items():
        print(f"worker {pid} CPU      {seconds:>10.1f} s   (incl. start-up)")
    memory = []
    for pid, points in samples.items():
        points = [p for p in points if p[1]]
        if not points:
            continue
        first = next((r for s, r in points if s > 0), points[-1][1])
        half = next((r for s, r in points if s >= args.subscribers / 2), points[-1][1])
        peak = max(r for _s, r in points)
        memory.append(f"{first / 1024:.1f} / {peak / 1024:.1f}")
        print(
            f"worker {pid} RSS MiB  first mail {first / 1024:6.1f}   "
            f"at 50 % {half / 1024:6.1f}   end {points[-1][1] / 1024:6.1f}   "
            f"peak {peak / 1024:6.1f}"
        )
    print()
    print(
        "| subscribers | workers | backend | seconds | mails/s | worker CPU s "
        "| RSS MiB at first mail / peak, per worker | load avg before → after | rows |"
    )
    print("|---:|---:|---|---:|---:|---|---|---|---|")
    print(
        f"| {args.subscribers:,} | {args.workers} | {'locmem' if args.locmem else 'counting'} "
        f"| {elapsed:.1f} | {args.subscribers / elapsed:.0f} "
        f"| {', '.join(f'{c:.1f}' for c in cpu.values())} | {'; '.join(memory)} "
        f"| {load_before[0]:.2f} → {load_after[0]:.2f} "
        f"| {', '.join(f'{v:,} {k}' for k, v in sorted(statuses.items()))}; twice: {twice} |"
    )


if __name__ == "__main__":
    main()
