"""Staff choose a review's quote in the admin: only consented comments of that event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Review
from feedback.models import ReviewQuote
from tests.factories import EventFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    start = timezone.now() - timedelta(days=20)
    event = EventFactory(published=True, start=start, end=start + timedelta(hours=3))
    return Review.objects.create(event=event, headline="Rückblick", lead="Kurz.")


def test_the_quote_choices_are_consented_comments_of_the_event(staff_client, review):
    consented = FeedbackFactory(
        event=review.event, comment="Sehr gut beraten", may_publish=True
    )
    FeedbackFactory(event=review.event, comment="Bitte nicht zeigen", may_publish=False)
    FeedbackFactory(comment="Andere Veranstaltung", may_publish=True)
    response = staff_client.get(f"/admin/events/review/{review.pk}/change/")
    assert response.status_code == 200
    choices = response.context["inline_admin_formsets"][-1].formset.empty_form
    labels = [label for _, label in choices.fields["feedback"].choices]
    assert labels == ["---------", "Sehr gut beraten"]
    assert consented.pk in [
        value.value for value, _ in choices.fields["feedback"].choices if value
    ]


def test_staff_save_a_quote_through_the_inline(staff_client, review):
    consented = FeedbackFactory(event=review.event, comment="Danke!", may_publish=True)
    prefix = "quote"
    response = staff_client.post(
        f"/admin/events/review/{review.pk}/change/",
        {
            "event": review.event.pk,
            "headline": review.headline,
            "lead": review.lead,
            "body": "",
            "status": "draft",
            "published_at": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-feedback": consented.pk,
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert ReviewQuote.objects.get(review=review).feedback == consented
