"""Simulate a database that refuses connections, as while PostgreSQL is stopped."""

from contextlib import contextmanager
from unittest import mock

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections


@contextmanager
def database_down():
    """Every query, transaction and session load raises OperationalError.

    Django opens (or checks) the connection before each of them, so failing
    ``ensure_connection`` is what a stopped server looks like to the code.
    """
    error = OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )
    connection = connections[DEFAULT_DB_ALIAS]
    with mock.patch.object(connection, "ensure_connection", side_effect=error):
        yield
