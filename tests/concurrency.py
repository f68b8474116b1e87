"""Running test code in parallel threads, each with its own database connection.

Django's connections are per thread, so the threads' statements really run in
parallel on PostgreSQL. SQLite locks the whole file for every write, so tests
using this are for PostgreSQL only (see POSTGRESQL_ONLY).
"""

import contextvars
import threading

import pytest
from django.db import connection, connections

POSTGRESQL_ONLY = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises every write, so nothing runs in parallel",
    ),
]


def run_in_threads(work, count: int) -> list:
    """Start `count` threads at once; return what each returned (or raised)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(n):
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as error:  # reported by the test
            results[n] = error
        finally:
            connections.close_all()

    # Each thread starts in a copy of the caller's context: the same
    # Jobcenter scope, as every request of one host has.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(target, n))
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
