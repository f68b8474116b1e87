"""The page cache's key normalises the query, and the page follows it.

Addresses that share an entry must render the same bytes, with the cache on
or off: the view is shown only the normalised query.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone, translation

from events.caching import cache_key, normalised_query
from events.views import PER_PAGE
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture
def events():
    """Two pages of childcare dates in Oststadt, so the list has page links."""
    district = DistrictFactory(name="Oststadt", slug="oststadt")
    DistrictFactory(name="Weststadt", slug="weststadt")
    location = LocationFactory(district=district)
    childcare = ServiceOfferingFactory(category="kinderbetreuung")
    start = timezone.now() + timedelta(days=3)
    for n in range(PER_PAGE + 2):
        EventFactory(
            published=True,
            location=location,
            start=start + timedelta(hours=n),
            end=start + timedelta(hours=n + 1),
            services=[childcare],
        )


def key(query: str, names=("bezirk", "angebot", "seite")) -> str:
    return cache_key(RequestFactory().get("/" + query), names)


SAME_ENTRY = [
    ("?angebot=kinderbetreuung", "?bezirk=&angebot=kinderbetreuung"),
    ("?angebot=kinderbetreuung", "?angebot=kinderbetreuung&bezirk=&von=&bis="),
    (
        "?angebot=kinderbetreuung&bezirk=oststadt",
        "?bezirk=oststadt&angebot=kinderbetreuung",
    ),
    (
        "?seite=2&angebot=kinderbetreuung&bezirk=oststadt",
        "?bezirk=oststadt&utm_source=plakat&angebot=kinderbetreuung&seite=2",
    ),
    ("", "?utm_source=plakat&fbclid=abc"),
    ("", "?bezirk=&angebot=&zielgruppe=&von=&bis=&seite="),
    ("?bezirk=oststadt", "?bezirk=&bezirk=oststadt"),
]


@pytest.mark.parametrize(("one", "other"), SAME_ENTRY)
def test_addresses_that_share_an_entry_render_the_same_bytes(
    client, events, one, other
):
    assert key(one) == key(other)
    first, second = client.get("/" + one), client.get("/" + other)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_with_the_cache_on_they_share_one_build(
    client, settings, events, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    built = client.get("/?bezirk=oststadt&angebot=kinderbetreuung&seite=2")
    with django_assert_num_queries(0):
        served = client.get(
            "/?seite=2&x=1&angebot=kinderbetreuung&von=&bezirk=oststadt"
        )
    assert served.content == built.content
    cache.clear()


def test_the_page_links_carry_only_the_normalised_query(client, events):
    html = client.get(
        "/?utm_source=plakat&bezirk=oststadt&von=&angebot=kinderbetreuung"
    ).content.decode()
    assert "utm_source" not in html
    assert "?angebot=kinderbetreuung&amp;bezirk=oststadt&amp;seite=2" in html


def test_an_empty_or_unknown_query_shows_the_unfiltered_page(client, events):
    plain = client.get("/").content
    assert client.get("/?bezirk=").content == plain
    assert client.get("/?utm_source=x").content == plain


DIFFERENT_ENTRIES = [
    ("?bezirk=oststadt", "?bezirk=weststadt"),
    ("?bezirk=oststadt&bezirk=weststadt", "?bezirk=weststadt&bezirk=oststadt"),
    ("?seite=2", ""),
    ("?bezirk=%20", ""),
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT_ENTRIES)
def test_a_parameter_that_changes_the_page_is_its_own_entry(one, other):
    assert key(one) != key(other)


def test_the_last_of_repeated_values_decides_as_the_form_reads_it():
    request = RequestFactory().get("/?bezirk=a&bezirk=&bezirk=b&angebot=x")
    assert normalised_query(request.GET, ("bezirk", "angebot")) == [
        ("angebot", "x"),
        ("bezirk", "a"),
        ("bezirk", "b"),
    ]
