"""Reading reviews (Rückblicke) for the public: one place for their queries and metadata."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from events.models import Event, Review, ReviewPhoto

FEED_LENGTH = 30


def _photos() -> QuerySet[ReviewPhoto]:
    return ReviewPhoto.objects.order_by("position", "pk").prefetch_related(
        "translations"
    )


def published_reviews() -> QuerySet[Review]:
    """Published reviews with what a page or feed shows of them, in two queries."""
    return (
        Review.objects.published()
        .select_related("event__location__district")
        .prefetch_related(
            "translations",
            "event__translations",
            "event__location__translations",
            Prefetch("photos", queryset=_photos()),
        )
    )


def review_of(event: Event) -> Review | None:
    """The event's published review, or None (drafts are never public)."""
    return published_reviews().filter(event=event).first()


def reviewed_first(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with a published review first, each carrying it as ``public_review``.

    The review and its photos come in two extra queries for the whole page;
    ``public_review`` is None for events without one.
    """
    published = Review.objects.published()
    return (
        events.annotate(has_review=Exists(published.filter(event=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "review",
                queryset=published.prefetch_related(
                    "translations", Prefetch("photos", queryset=_photos())
                ),
                to_attr="public_review",
            )
        )
        .order_by("-has_review", *events.query.order_by)
    )


def latest_reviews(limit: int = FEED_LENGTH) -> list[Review]:
    return list(published_reviews().order_by("-published_at", "-pk")[:limit])
