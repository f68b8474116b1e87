from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import demo as event_demo
from events.models import Event, MaterialHandout
from feedback import summaries
from feedback.demo import QUOTE, seed_feedback
from feedback.models import ContactCount, Feedback
from feedback.reviews import quote_text

pytestmark = pytest.mark.django_db


def seed(**kwargs):
    call_command("seed_demo", verbosity=0, **kwargs)


def counts():
    return [
        model.objects.count() for model in (Feedback, ContactCount, MaterialHandout)
    ]


@pytest.fixture
def first():
    seed()
    return Event.objects.get(slug=event_demo.FIRST_EVENT_SLUG)


def test_seed_demo_gives_the_first_event_realistic_feedback(first):
    report = summaries.event_report(first)
    figures = report.figures
    assert figures.feedback >= 12
    assert figures.contacts == 52
    assert figures.material_handed_out == 323
    # Consultation valued most, material very useful, the location rated lower.
    assert figures.average_consultation > figures.average_material >= 4.4
    assert figures.average_location < 3.5
    channels = sorted(report.channels, key=lambda row: -row.count)
    assert [row.key for row in channels[:2]] == ["passing_by", "letter"]
    assert any(row.count for row in report.contacts_by_target_group[:-1])
    assert any(row.count for row in report.contacts_by_service[:-1])
    described = {row.key: row.count for row in report.self_descriptions}
    assert described["other"] == 1 and described[""] == 3
    assert sum(described.values()) == figures.feedback
    assert QUOTE in [comment.text for comment in report.comments]


def test_seed_feedback_twice_adds_nothing(first):
    before = counts()
    assert seed_feedback() == 0
    seed()
    assert counts() == before


def test_the_demo_review_quotes_the_consented_comment(first):
    review = first.review
    quote = review.quote.feedback
    assert quote.comment == QUOTE
    assert quote.may_publish and quote.event == first
    assert quote_text(review) == QUOTE
    assert review.show_figures


def test_the_first_event_shows_public_figures(first):
    figures = summaries.event_figures(first)
    assert figures is not None
    assert figures.contacts == 52
    assert figures.feedback == Feedback.objects.filter(event=first).count()


def test_seed_feedback_adds_missing_handouts():
    base = event_demo.seed_base()
    event = event_demo.seed_first_event(base)
    MaterialHandout.objects.filter(event=event).delete()
    seed_feedback(base)
    assert MaterialHandout.objects.filter(event=event).count() == 5


def test_past_generated_events_get_feedback_and_contacts_once():
    seed(events=21)
    past = Event.objects.published().past().filter(slug__startswith="volume-")
    assert past.exists()
    assert not past.filter(feedback__isnull=True).exists()
    assert not past.filter(contacts__isnull=True).exists()
    future = Event.objects.filter(slug__startswith="volume-", start__gt=timezone.now())
    assert not Feedback.objects.filter(event__in=future).exists()
    before = counts()
    seed(events=21)
    assert counts() == before


def test_demo_events_that_are_over_by_now_get_feedback(first):
    later = timezone.now() + timedelta(days=400)
    added = seed_feedback(now=later)
    upcoming = Event.objects.filter(slug__startswith="jobcenter-im-quartier-demo-")
    assert added > 0
    assert not upcoming.published().filter(feedback__isnull=True).exists()
    assert not Feedback.objects.filter(event__status=Event.Status.CANCELLED).exists()
