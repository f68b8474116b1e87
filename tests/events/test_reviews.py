from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Review, ReviewPhoto
from events.richtext import render, sanitize
from tests.events.test_images import jpeg_with_gps
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hallo<script>alert(1)</script></p>", "<p>Hallo</p>"),
        ("<p>Text</p><style>body{display:none}</style>", "<p>Text</p>"),
        ('<p onclick="alert(1)">Klick</p>', "<p>Klick</p>"),
        (
            '<p><a href="javascript:alert(1)">Link</a></p>',
            '<p><a rel="noopener noreferrer nofollow">Link</a></p>',
        ),
        ('<p><img src="x" onerror="alert(1)">Bild</p>', "<p>Bild</p>"),
        ('<p style="color:red">Rot</p>', "<p>Rot</p>"),
        ("<p><iframe src='https://evil.example'></iframe>ok</p>", "<p>ok</p>"),
    ],
)
def test_sanitizer_removes_scripts_styles_handlers_and_javascript_links(dirty, clean):
    assert sanitize(dirty) == clean


def test_sanitizer_keeps_paragraphs_lists_emphasis_and_links():
    html = (
        "<p><strong>Stark</strong> und <em>betont</em></p><ul><li>eins</li></ul>"
        '<ol><li>zwei</li></ol><p><a href="https://www.pforzheim.de/">Stadt</a></p>'
    )
    assert sanitize(html) == html.replace(
        'href="https://www.pforzheim.de/"',
        'href="https://www.pforzheim.de/" rel="noopener noreferrer nofollow"',
    )


def test_plain_text_becomes_paragraphs():
    assert sanitize("Erster Absatz.\n\nZweiter <b>Absatz</b>.") == (
        "<p>Erster Absatz.</p>\n<p>Zweiter <b>Absatz</b>.</p>"
    )


def test_sanitising_twice_changes_nothing():
    once = sanitize("Eins\nzwei\n\n<ul><li>drei</li></ul>\n\n<strong>vier</strong>")
    assert (
        once
        == "<p>Eins<br>zwei</p>\n<ul><li>drei</li></ul>\n<p><strong>vier</strong></p>"
    )
    assert sanitize(once) == once


def test_review_body_is_sanitised_on_save_and_on_output():
    review = Review.objects.create(
        event=past_event(),
        headline="Rückblick",
        lead="Kurz.",
        body="<p>Gut<script>x()</script></p>",
    )
    review.refresh_from_db()
    assert review.body == "<p>Gut</p>"
    review.translations.filter(language_code="de").update(
        body="<p>Roh<script>x()</script></p>"
    )
    review.refresh_from_db()
    assert review.body_html == "<p>Roh</p>"
    assert render("<b onmouseover=x>") == "<p><b></b></p>"


def past_event():
    start = timezone.now() - timedelta(days=10)
    return EventFactory(published=True, start=start, end=start + timedelta(hours=4))


def test_a_review_cannot_be_published_before_the_event_is_over():
    review = Review(
        event=EventFactory(published=True),
        headline="Zu früh",
        lead="x",
        status="published",
    )
    with pytest.raises(ValidationError, match="erst nach der Veranstaltung"):
        review.full_clean()


def test_publishing_sets_the_publication_date():
    review = Review.objects.create(
        event=past_event(), headline="H", lead="L", status="published"
    )
    assert review.published_at is not None


def test_published_reviews_hide_drafts_and_future_dates():
    live = Review.objects.create(
        event=past_event(), headline="Live", lead="L", status="published"
    )
    Review.objects.create(event=past_event(), headline="Entwurf", lead="L")
    Review.objects.create(
        event=past_event(),
        headline="Geplant",
        lead="L",
        status="published",
        published_at=timezone.now() + timedelta(days=1),
    )
    assert list(Review.objects.published()) == [live]


def test_a_review_of_a_draft_event_is_never_public():
    start = timezone.now() - timedelta(days=3)
    draft_event = EventFactory(start=start, end=start + timedelta(hours=2))
    Review.objects.create(event=draft_event, headline="H", lead="L", status="published")
    assert not Review.objects.published().exists()


def photo(**fields):
    review = Review.objects.create(event=past_event(), headline="H", lead="L")
    defaults = {
        "review": review,
        "image": SimpleUploadedFile("stand.jpg", jpeg_with_gps(), "image/jpeg"),
        "alt_text": "Der Stand",
        "credit": "Jobcenter Pforzheim",
    }
    return ReviewPhoto(**{**defaults, **fields})


@pytest.mark.parametrize("field", ["alt_text", "credit"])
def test_review_photos_need_alt_text_and_credit(field):
    with pytest.raises(ValidationError) as error:
        photo(**{field: ""}).full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize("field", ["alt_text", "credit"])
def test_the_database_refuses_photos_without_alt_text_or_credit(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        photo(**{field: ""}).save()


def test_review_photos_follow_the_upload_rules():
    bad = photo(image=SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"))
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        bad.full_clean()
    good = photo()
    good.full_clean()
    good.save()
    assert good.width == 1200
    assert "480w" in good.srcset


def past_event_with_feedback(**feedback):
    from tests.factories import FeedbackFactory

    start = timezone.now() - timedelta(days=30)
    event = EventFactory(start=start, end=start + timedelta(hours=4))
    return event, FeedbackFactory(event=event, **feedback)


def test_review_of_returns_only_a_published_review_with_its_photos(
    django_assert_num_queries,
):
    from events.reviews import review_of

    event, _ = past_event_with_feedback()
    event.status = event.Status.PUBLISHED
    event.save()
    review = Review.objects.create(event=event, headline="Rückblick", lead="Kurz.")
    assert review_of(event) is None  # a draft is never public
    review.status = Review.Status.PUBLISHED
    review.save()
    for position in range(3):
        ReviewPhoto.objects.create(
            review=review,
            image=f"reviews/{position}.jpg",
            alt_text=f"Bild {position}",
            credit="Jobcenter Pforzheim",
            position=2 - position,
            width=800,
            height=600,
        )
    # The review, its photos, and the texts of both, the event and its place.
    with django_assert_num_queries(6):
        found = review_of(event)
        assert [p.alt_text for p in found.photos.all()] == [
            "Bild 2",
            "Bild 1",
            "Bild 0",
        ]
        assert found.event.location.district.name


def test_a_line_before_a_list_becomes_its_own_paragraph():
    assert sanitize("<strong>Geschätzt:</strong>\n<ul><li>Beratung</li></ul>") == (
        "<p><strong>Geschätzt:</strong></p>\n<ul><li>Beratung</li></ul>"
    )
