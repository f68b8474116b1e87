import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from events.roles import COORDINATION, STAFF
from tests.accounts import force_login_verified
from tests.factories import UserFactory


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    """Uploads made by tests go to a temporary folder, removed afterwards."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def _uses_database(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    return marker is not None or bool(
        names & {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    )


@pytest.fixture(autouse=True)
def jobcenter(request):
    """Each test runs in the scope of the installation's first Jobcenter.

    As a request does (jobcenters.middleware): rows made in the test belong to
    it, queries read only its rows. Tests without the database get no scope.
    """
    if not _uses_database(request):
        yield None
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in (request.fixturenames)
        or bool(marker and marker.kwargs.get("transaction"))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from jobcenters.hosts import forget_all, jobcenter_for_host, prepare
    from jobcenters.scoping import jobcenter_scope
    from tests.factories import first_jobcenter

    forget_all()  # rows of earlier tests were rolled back
    first = prepare(first_jobcenter())  # as a request's: addresses need no query
    for host in ("testserver", "localhost", "127.0.0.1"):
        jobcenter_for_host(host)  # known, as after a server's first request
    with jobcenter_scope(first):
        yield first


@pytest.fixture
def roles(db):
    """The staff groups as setup_roles makes them."""
    call_command("setup_roles", verbosity=0)


@pytest.fixture
def staff_user(roles):
    """A member of "Mitarbeitende"."""
    return UserFactory(username="mitarbeiterin", groups=[STAFF])


@pytest.fixture
def coordinator(roles):
    """A member of "Koordination"."""
    return UserFactory(username="koordinatorin", groups=[COORDINATION])


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    """Logged in with password and second factor (Koordination needs both)."""
    force_login_verified(client, coordinator)
    return client


@pytest.fixture(autouse=True)
def _german_to_begin_with():
    """Each test starts in German, the source language, whatever ran before.

    A request under /en/ leaves English active in the test's thread; objects
    made afterwards would get English texts and no German source.
    """
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
