"""The two demo Jobcenters side by side, with the public page cache on."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("path", "mark"),
    [
        ("/", b"Altstadt"),  # a district of the second Jobcenter's dates
        ("/kalender.ics", b"Altstadt"),
        ("/archiv/", b"Jobcenter Musterstadt"),
    ],
)
def test_a_cached_page_of_one_jobcenter_is_never_served_to_the_other(
    client, path, mark
):
    call_command("seed_demo", verbosity=0)
    first = client.get(path, HTTP_HOST="127.0.0.1")
    second = client.get(path, HTTP_HOST="localhost")
    again = client.get(path, HTTP_HOST="127.0.0.1")
    assert first.status_code == second.status_code == 200
    assert mark in second.content
    assert mark not in first.content
    assert again.content == first.content
