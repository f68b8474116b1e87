"""A review (Rückblick) on a past event's page, in Chromium: axe and a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.demo import placeholder_photo
from events.models import Review, ReviewPhoto
from feedback.models import ReviewQuote
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import ContactCountFactory, EventFactory, FeedbackFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reviewed_event():
    start = timezone.now() - timedelta(days=20)
    event = EventFactory(
        published=True,
        title="Jobcenter im Quartier Oststadt",
        start=start,
        end=start + timedelta(hours=4),
    )
    quote = FeedbackFactory(
        event=event,
        comment="Ohne euch ging es ganz vielen Leuten schlecht",
        may_publish=True,
        rating_consultation=5,
    )
    for rating in (5, 4, 4, 3, 5):
        FeedbackFactory(event=event, rating_consultation=rating)
    ContactCountFactory(event=event, quantity=40)
    review = Review.objects.create(
        event=event,
        headline="„Ohne euch ging es ganz vielen Leuten schlecht“",
        lead="Ein Tag mit vielen Gesprächen in der Oststadt.",
        body="<p>Am meisten geschätzt:</p><ul><li>die <strong>persönliche Beratung</strong></li><li>das Material</li></ul>",
        status=Review.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=2),
        show_figures=True,
    )
    ReviewQuote.objects.create(review=review, feedback=quote)
    photo = ReviewPhoto(
        review=review,
        image=placeholder_photo("Rückblick"),
        alt_text="Der Stand in der Quartierswerkstatt",
        credit="Jobcenter Pforzheim",
    )
    photo.full_clean()
    photo.save()
    return event


def test_review_page_is_accessible(page, live_server, reviewed_event):
    page.goto(live_server.url + reviewed_event.get_absolute_url())
    assert page.locator("#review-heading").is_visible()
    assert page.get_by_text("Foto: Jobcenter Pforzheim").is_visible()
    assert page.locator("blockquote").inner_text().startswith("Ohne euch")
    assert page.get_by_text("Der Tag in Zahlen").is_visible()
    image = page.locator(".review-photo img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)


def test_review_page_fits_a_phone(phone_page, live_server, reviewed_event):
    phone_page.goto(live_server.url + reviewed_event.get_absolute_url())
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_archive_with_a_review_is_accessible(page, live_server, reviewed_event):
    page.goto(live_server.url + "/archiv/")
    assert page.locator(".event-card__review-headline").first.is_visible()
    assert_accessible(page)
