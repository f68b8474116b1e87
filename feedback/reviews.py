"""What a public review (Rückblick) shows from the feedback: a consented quote, live figures.

Events know nothing of feedback; this side reads both and the review template
asks for it through the ``review_voices`` template tags.
"""

from events.models import Review
from feedback.models import ReviewQuote
from feedback.summaries import PublicFigures, event_figures


def quote_text(review: Review) -> str:
    """The quoted comment, empty without one, without consent or once it was removed."""
    quote = ReviewQuote.objects.select_related("feedback").filter(review=review).first()
    return quote.text if quote is not None else ""


def live_figures(review: Review) -> PublicFigures | None:
    """Figures read now from the summaries, only if the review opts in and enough answered."""
    return event_figures(review.event) if review.show_figures else None
