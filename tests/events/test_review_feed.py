"""The Atom feed of reviews: /rueckblicke.atom."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from events.models import Review
from tests.factories import EventFactory, LocationFactory

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def review(*, headline="Rückblick", days_ago=1, status=Review.Status.PUBLISHED, **kw):
    start = timezone.now() - timedelta(days=days_ago + 10)
    event = EventFactory(
        published=True, start=start, end=start + timedelta(hours=3), **kw
    )
    return Review.objects.create(
        event=event,
        headline=headline,
        lead="Was war los?",
        body="<p>Viel <strong>Beratung</strong>.<script>alert(1)</script></p>",
        status=status,
        published_at=timezone.now() - timedelta(days=days_ago),
    )


def feed(client):
    response = client.get("/rueckblicke.atom")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def test_published_reviews_newest_first_and_never_drafts(client):
    review(headline="Älter", days_ago=5)
    review(headline="Neuer", days_ago=1)
    review(headline="Entwurf", status=Review.Status.DRAFT)
    review(headline="Geplant", days_ago=-3)  # scheduled for later
    titles = [e.findtext(f"{ATOM}title") for e in feed(client).findall(f"{ATOM}entry")]
    assert titles == ["Neuer", "Älter"]


def test_entries_link_to_the_event_page_with_stable_ids(client):
    item = review()
    (entry,) = feed(client).findall(f"{ATOM}entry")
    assert (
        entry.find(f"{ATOM}link").get("href")
        == f"{SITE}{item.event.get_absolute_url()}"
    )
    assert entry.findtext(f"{ATOM}id").endswith(f":review-{item.pk}")
    assert entry.findtext(f"{ATOM}updated")


def test_summary_is_sanitised(client):
    review()
    (entry,) = feed(client).findall(f"{ATOM}entry")
    summary = entry.findtext(f"{ATOM}summary")
    assert "<strong>Beratung</strong>" in summary
    assert "script" not in summary


@pytest.mark.parametrize("count", [3, 40])
def test_queries_do_not_grow(client, django_assert_max_num_queries, count):
    location = LocationFactory()
    for n in range(count):
        review(days_ago=n + 1, location=location)
    # The rows, then the reviews of the entries not stored yet, with theirs.
    with django_assert_max_num_queries(6):
        entries = feed(client).findall(f"{ATOM}entry")
    assert len(entries) == min(count, 30)
    with django_assert_max_num_queries(1):  # every entry stored
        assert len(feed(client).findall(f"{ATOM}entry")) == len(entries)
