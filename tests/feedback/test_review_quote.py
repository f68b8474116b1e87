"""A review quotes a visitor's comment only with consent (feedback.ReviewQuote)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Review
from feedback.models import ReviewQuote
from feedback.reviews import quote_text
from tests.factories import EventFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def past_event_with_feedback(**feedback):
    start = timezone.now() - timedelta(days=30)
    event = EventFactory(start=start, end=start + timedelta(hours=4))
    return event, FeedbackFactory(event=event, **feedback)


def review_of(event):
    return Review.objects.create(event=event, headline="Rückblick", lead="Kurz.")


def test_a_consented_comment_can_be_quoted():
    event, feedback = past_event_with_feedback(
        comment="Sehr hilfreich!", may_publish=True
    )
    review = review_of(event)
    ReviewQuote.objects.create(review=review, feedback=feedback)
    assert quote_text(review) == "Sehr hilfreich!"


def test_a_comment_without_consent_cannot_become_a_quote():
    event, feedback = past_event_with_feedback(comment="Privat", may_publish=False)
    review = review_of(event)
    with pytest.raises(ValidationError) as error:
        ReviewQuote.objects.create(review=review, feedback=feedback)
    assert "feedback" in error.value.message_dict
    assert not ReviewQuote.objects.exists()
    assert quote_text(review) == ""


def test_an_empty_comment_cannot_become_a_quote():
    event, feedback = past_event_with_feedback(comment="", may_publish=True)
    with pytest.raises(ValidationError):
        ReviewQuote.objects.create(review=review_of(event), feedback=feedback)


def test_a_quote_must_come_from_the_same_event():
    _, feedback = past_event_with_feedback(comment="Toll", may_publish=True)
    other, _ = past_event_with_feedback()
    with pytest.raises(ValidationError):
        ReviewQuote.objects.create(review=review_of(other), feedback=feedback)


def test_the_quote_disappears_when_retention_removes_the_comment():
    from feedback.services import purge_old_comments

    event, feedback = past_event_with_feedback(comment="Danke", may_publish=True)
    review = review_of(event)
    ReviewQuote.objects.create(review=review, feedback=feedback)
    feedback.__class__.objects.filter(pk=feedback.pk).update(
        submitted_at=timezone.now() - timedelta(days=800)
    )
    assert purge_old_comments() == 1
    assert quote_text(review) == ""
