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
