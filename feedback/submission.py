"""Accepting a visitor's feedback: when the form is open, and saving it."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.models import Event
from feedback.models import QUESTION_FIELDS, Feedback

# Stored on the row itself; the services of interest are set after saving.
ANSWER_FIELDS = tuple(f for f in QUESTION_FIELDS if f != "services_of_interest")


class Closed(StrEnum):
    """Why an event's feedback form does not accept answers now."""

    NOT_YET = "not_yet"
    CANCELLED = "cancelled"
    CLOSED = "closed"


def closes_at(event: Event) -> datetime:
    return event.end + timedelta(days=settings.FEEDBACK_OPEN_DAYS)


def closed_reason(event: Event, *, now: datetime | None = None) -> Closed | None:
    """None while the form is open, else why not (for a public event)."""
    now = now or timezone.now()
    if event.feedback_open(now):
        return None
    if event.is_cancelled:
        return Closed.CANCELLED
    if event.start and now < event.start:
        return Closed.NOT_YET
    return Closed.CLOSED


def form_language(code: str | None = None) -> str:
    """The configured language the form was shown in (the active one), or ""."""
    code = code or get_language() or ""
    return code if code in dict(settings.LANGUAGES) else ""


@transaction.atomic
def submit_feedback(
    event: Event, cleaned_data: Mapping[str, Any], *, language: str | None = None
) -> Feedback:
    """Save one visitor's answers and services of interest together, or nothing.

    ``language`` is the form's language (default: the active one), kept so the
    reports can say in which languages visitors answered."""
    if not event.feedback_open():
        raise ValidationError(
            _("Feedback for this event is not open."), code="feedback_closed"
        )
    answers = {field: cleaned_data.get(field) for field in ANSWER_FIELDS}
    answers["heard_via"] = answers["heard_via"] or ""
    answers["comment"] = answers["comment"] or ""
    answers["may_publish"] = bool(answers["may_publish"] and answers["comment"])
    answers["describes_self_otherwise"] = bool(
        cleaned_data.get("describes_self_otherwise")
    )
    feedback = Feedback(
        event=event,
        source=Feedback.Source.ONLINE,
        language=form_language(language),
        **answers,
    )
    # The field validators already hold ratings to 1–5; the database still checks
    # the constraints, so they need no extra round trip each here. The target
    # group came from the form's (scoped, active) choices and the foreign key
    # is the database's to check: no query to look it up again.
    feedback.full_clean(exclude=["event", "target_group"], validate_constraints=False)
    feedback.save()
    services = cleaned_data.get("services_of_interest")
    if services:
        # A new row has none yet: add them (one insert) rather than set them.
        feedback.services_of_interest.add(*services)
    return feedback
