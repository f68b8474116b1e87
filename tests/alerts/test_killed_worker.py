"""A worker killed mid-batch and started again sends no mail twice.

Real processes on a database of their own (a SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL): the worker is
``manage.py alerts_worker``, the mails are files (tests/alerts/mailbackend.py),
and the worker is killed with SIGKILL while it sends a batch.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 300

SEED = (
    """
from jobcenters.scoping import jobcenter_scope
from alerts.models import Subscription
from events.services import publish_event
from tests.factories import EventFactory, first_jobcenter
from django.utils import timezone
with jobcenter_scope(first_jobcenter()):
    Subscription.objects.bulk_create(
        Subscription(email="s%d@example.org" % n, language="de", consented_at=timezone.now())
        for n in range(SUBSCRIBERS)
    )
    publish_event(EventFactory())
"""
).replace("SUBSCRIBERS", str(SUBSCRIBERS))

COUNT = """
import json
from collections import Counter
from jobcenters.scoping import scopes_disabled
from alerts.models import Delivery
with scopes_disabled():
    print(json.dumps(Counter(Delivery.objects.values_list("status", flat=True))))
"""


@pytest.fixture
def database_url(tmp_path):
    """A database of the test's own, reachable by other processes."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        return
    import psycopg2

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'quartier'}_alerts_kill_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def test_a_killed_worker_restarted_sends_no_mail_twice(database_url, tmp_path):
    mails = tmp_path / "mail"
    mails.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "EMAIL_BACKEND": "tests.alerts.mailbackend.SlowFileBackend",
        "ALERTS_MAIL_DIR": str(mails),
        "ALERTS_MAIL_DELAY": "0.01",
        "ALERTS_BATCH_SIZE": "100",
    }
    manage(env, "migrate", "-v0")
    manage(env, "shell", "-c", SEED)
    worker_args = [
        sys.executable,
        "manage.py",
        "alerts_worker",
        "--batch",
        "--interval",
        "0",
        "--no-startup-delay",
        "--no-reload",
        "-v0",
    ]
    worker = subprocess.Popen(worker_args, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 600  # a loaded CI machine
        while len(list(mails.glob("*.eml"))) < 150:  # in the second batch
            assert worker.poll() is None, "the worker ended before it was killed"
            assert time.monotonic() < deadline, "the worker sends nothing"
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    killed_at = len(list(mails.glob("*.eml")))
    assert killed_at < SUBSCRIBERS

    # Started again: the killed worker's task counts as stale at once.
    restarted = subprocess.run(
        worker_args,
        cwd=ROOT,
        env={**env, "ALERTS_STALE_TASK_SECONDS": "0"},
        timeout=300,
    )
    assert restarted.returncode == 0

    recipients = [
        next(
            line.split(":", 1)[1].strip()
            for line in path.read_text().splitlines()
            if line.startswith("To:")
        )
        for path in mails.glob("*.eml")
    ]
    assert len(recipients) == len(set(recipients)), "a subscriber got a mail twice"
    rows = json.loads(manage(env, "shell", "-c", COUNT).stdout.strip().splitlines()[-1])
    # Every subscriber has exactly one row; those left "claimed" are the ones
    # the killed run had taken and not yet marked sent: never sent again.
    assert rows.get("sent", 0) + rows.get("claimed", 0) == SUBSCRIBERS
    assert rows.get("claimed", 0) <= 50  # at most one claim of the killed batch
    assert rows["sent"] <= len(recipients) <= SUBSCRIBERS
    assert len(recipients) > killed_at  # the restarted worker went on
