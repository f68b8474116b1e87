"""What /readyz checks: the database, the migrations and the shared cache.

Each check returns None when all is well, else a short plain-text reason. They
stay cheap enough for a load balancer probing every few seconds: one query for
the database; the migrations are compared once and a positive result is kept
for the life of the process (a deploy restarts it); the cache only when a
shared one is configured (one set/get round trip).
"""

import secrets

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from quartier.checks import cache_is_shared

CACHE_PROBE_PREFIX = "readyz:"
# Set once the migrations were found complete; never unset within a process.
migrations_applied = False


def database_problem() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "database unavailable"
    return None


def migrations_problem() -> str | None:
    global migrations_applied
    if migrations_applied:
        return None
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return "migrations unknown"
    if pending:
        return "migrations pending"
    migrations_applied = True
    return None


def cache_problem() -> str | None:
    # A cache each process keeps for itself: nothing shared to lose.
    if not cache_is_shared():
        return None
    cache = caches["default"]
    # A key of its own per probe (gone after a few seconds), so probes of
    # several processes never read each other's value.
    token = secrets.token_hex(8)
    key = CACHE_PROBE_PREFIX + token
    try:
        cache.set(key, token, timeout=5)
        answered = cache.get(key)
    except Exception:
        return "cache unavailable"
    return None if answered == token else "cache unavailable"


def readiness_problem() -> str | None:
    """The first thing that keeps this process from serving requests, or None."""
    return database_problem() or migrations_problem() or cache_problem()
