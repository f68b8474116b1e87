"""A past event's page shows its published review; the archive lists reviewed events first."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Review, ReviewPhoto
from feedback.models import ReviewQuote
from feedback.summaries import MIN_FEEDBACK_FOR_PUBLIC_FIGURES, event_figures
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def past_event(days_ago=10, **kwargs):
    start = timezone.now() - timedelta(days=days_ago)
    return EventFactory(
        published=True, start=start, end=start + timedelta(hours=4), **kwargs
    )


def publish_review(event, *, photos=1, quote=None, **kwargs):
    review = Review.objects.create(
        event=event,
        headline=kwargs.pop("headline", "Ein guter Tag"),
        lead="Viele Gespräche im Quartier.",
        body="<p>Die <em>Beratung</em> kam gut an.</p>",
        status=Review.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
        **kwargs,
    )
    for n in range(photos):
        ReviewPhoto.objects.create(
            review=review,
            image=f"reviews/tag-{review.pk}-{n}.jpg",
            width=1200,
            height=800,
            alt_text=f"Stand im Quartier {n}",
            credit="Jobcenter Pforzheim",
            position=n,
        )
    if quote is not None:
        ReviewQuote.objects.create(review=review, feedback=quote)
    return review


def json_ld(html: str) -> dict:
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return json.loads(block)


def feedback_for(event, count, **kwargs):
    return [FeedbackFactory(event=event, **kwargs) for _ in range(count)]


def test_a_past_events_page_shows_its_review_with_photo_credit_and_quote(client):
    event = past_event()
    quote = FeedbackFactory(
        event=event, comment="Ohne euch ging es schlecht", may_publish=True
    )
    publish_review(event, quote=quote)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Ein guter Tag" in html
    assert "<em>Beratung</em>" in html
    assert 'alt="Stand im Quartier 0"' in html
    assert "Foto: Jobcenter Pforzheim" in html
    assert "Ohne euch ging es schlecht" in html


def test_a_draft_review_is_never_public(client):
    event = past_event()
    Review.objects.create(event=event, headline="Geheimer Entwurf", lead="Noch nicht.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Geheimer Entwurf" not in html


def test_the_quote_shows_nothing_else_of_that_feedback(client):
    event = past_event()
    quote = FeedbackFactory(
        event=event, comment="Gern wieder", may_publish=True, rating_overall=2
    )
    publish_review(event, quote=quote)
    html = client.get(event.get_absolute_url()).content.decode()
    quote = html[html.index('<figure class="review-quote') :]
    quote = quote[: quote.index("</figure>")]
    assert "Gern wieder" in quote
    assert "2" not in quote


def test_a_removed_comment_disappears_from_the_page(client):
    event = past_event()
    quote = FeedbackFactory(event=event, comment="Weg damit", may_publish=True)
    publish_review(event, quote=quote)
    quote.comment = ""
    quote.comment_removed_at = timezone.now()
    quote.save()
    assert "Weg damit" not in client.get(event.get_absolute_url()).content.decode()


def test_live_figures_are_hidden_below_the_minimum(client):
    event = past_event()
    feedback_for(event, MIN_FEEDBACK_FOR_PUBLIC_FIGURES - 1, rating_consultation=5)
    publish_review(event, show_figures=True)
    response = client.get(event.get_absolute_url())
    assert "Der Tag in Zahlen" not in response.content.decode()


def test_live_figures_match_the_summaries_module(client):
    event = past_event()
    feedback_for(event, 3, rating_consultation=5)
    feedback_for(event, 1, rating_consultation=4)
    feedback_for(event, 1, rating_consultation=2)
    ContactCountFactory(event=event, quantity=17)
    publish_review(event, show_figures=True)
    response = client.get(event.get_absolute_url())
    figures = event_figures(event)
    assert figures.feedback == 5
    assert figures.contacts == 17
    assert figures.consultation_helpful_share == pytest.approx(0.8)
    html = response.content.decode()
    assert "Der Tag in Zahlen" in html
    assert '<dd class="display-6 mb-0">17</dd>' in html
    assert '<dd class="display-6 mb-0">5</dd>' in html
    assert "80 %" in html


def test_figures_stay_hidden_unless_the_review_opts_in(client):
    event = past_event()
    feedback_for(event, 6)
    publish_review(event, show_figures=False)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Der Tag in Zahlen" not in html


def test_json_ld_holds_the_event_and_the_review_article(client):
    event = past_event()
    review = publish_review(event, photos=2)
    graph = json_ld(client.get(event.get_absolute_url()).content.decode())["@graph"]
    event_data, article = graph
    assert event_data["@type"] == "Event"
    assert article["@type"] == "Article"
    assert article["headline"] == "Ein guter Tag"
    assert article["about"] == {"@id": event_data["@id"]}
    assert (
        article["datePublished"] == timezone.localtime(review.published_at).isoformat()
    )
    assert article["image"] == [
        f"{SITE}/media/reviews/tag-{review.pk}-0.jpg",
        f"{SITE}/media/reviews/tag-{review.pk}-1.jpg",
    ]


def test_open_graph_image_is_the_review_photo(client):
    event = past_event()
    review = publish_review(event)
    html = client.get(event.get_absolute_url()).content.decode()
    assert (
        f'<meta property="og:image" content="{SITE}/media/reviews/tag-{review.pk}-0.jpg">'
        in html
    )
    assert '<meta property="og:type" content="article">' in html


@pytest.mark.parametrize("photos", [1, 6])
def test_review_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, photos
):
    event = past_event()
    quote = FeedbackFactory(event=event, comment="Super", may_publish=True)
    feedback_for(event, 5)
    publish_review(event, photos=photos, quote=quote, show_figures=True)
    # event, services, target groups; review with quote, photos; figures.
    with django_assert_max_num_queries(13):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_archive_lists_reviewed_events_first_with_headline_and_photo(client):
    location = LocationFactory()
    past_event(days_ago=2, title="Neulich", location=location)
    reviewed = past_event(days_ago=30, title="Mit Rückblick", location=location)
    publish_review(reviewed, headline="So war es")
    response = client.get("/archiv/")
    html = response.content.decode()
    assert html.index("Mit Rückblick") < html.index("Neulich")
    assert "So war es" in html
    assert 'alt="Stand im Quartier 0"' in html


@pytest.mark.parametrize("count", [4, 40])
def test_archive_with_reviews_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    location = LocationFactory()
    for n in range(count):
        event = past_event(days_ago=2 + n, location=location)
        if n % 2:
            publish_review(event)
    # Count and ids; for cards not stored yet: rows, services and texts,
    # the reviews with their texts, photos and photo texts.
    with django_assert_max_num_queries(11):
        assert client.get("/archiv/").status_code == 200
