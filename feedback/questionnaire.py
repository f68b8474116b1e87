"""The paper questionnaire: the online form's questions, printed on one A4 sheet.

For visitors without a phone. The questions, their order and their answers come
from FeedbackForm itself, so paper, online form and the admin's typing form
(same order, see feedback/admin.py) never drift apart. On paper an empty
question is "no answer", so that choice is left out.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from events.caching import public_cache
from events.calendar import absolute_url
from events.formatting import event_date_range
from events.models import Event
from events.poster import qr_svg, short_display
from feedback.forms import FeedbackForm
from feedback.models import QUESTION_FIELDS, RATING_FIELDS
from feedback.submission import Closed


class Kind(StrEnum):
    SCALE = "scale"  # a rating: five boxes in a row
    ONE = "one"  # tick one box
    MANY = "many"  # tick as many as apply
    TEXT = "text"  # lines to write on
    TICK = "tick"  # a single box: printed under the question before


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    label: str
    hint: str
    kind: Kind
    options: list[str]
    tick: str = ""  # a box to tick that belongs to this question (consent)


def _kind(name: str, field: forms.Field) -> Kind:
    if name in RATING_FIELDS:
        return Kind.SCALE
    widget = field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return Kind.MANY
    if isinstance(widget, forms.RadioSelect | forms.Select):
        return Kind.ONE
    if isinstance(widget, forms.Textarea):
        return Kind.TEXT
    return Kind.TICK


def paper_questions(form: FeedbackForm) -> list[PaperQuestion]:
    """The form's questions in order, numbered, with the answers to tick."""
    questions: list[PaperQuestion] = []
    for name in QUESTION_FIELDS:
        field = form.fields[name]
        kind = _kind(name, field)
        if kind == Kind.TICK:
            questions[-1] = replace(questions[-1], tick=str(field.label))
            continue
        options = []
        if kind != Kind.TEXT:
            options = [str(label) for value, label in field.choices if str(value)]
        if kind == Kind.SCALE:
            # As online: the numbers, with the meaning at both ends.
            values = [str(value) for value, _label in field.choices]
            options = [options[0], *values[1:-1], options[-1]]
        questions.append(
            PaperQuestion(
                number=len(questions) + 1,
                label=str(field.label),
                hint=str(field.help_text),
                kind=kind,
                options=options,
            )
        )
    return questions


@public_cache
@require_safe
def questionnaire(request, code):
    """The printable questionnaire of an event (drafts for staff, as a preview)."""
    event = get_object_or_404(
        Event.objects.visible_to(request.user)
        .filter(start__isnull=False, end__isnull=False)
        .select_related("location")
        .prefetch_related("translations", "location__translations"),
        short_code=code,
    )
    if event.is_cancelled:
        context = {"event": event, "reason": Closed.CANCELLED}
        return render(request, "feedback/closed.html", context, status=410)
    feedback_url = absolute_url(
        reverse("feedback:form", kwargs={"code": event.short_code})
    )
    context = {
        "event": event,
        "date_line": event_date_range(event.start, event.end),
        "questions": paper_questions(FeedbackForm(event=event)),
        "feedback_url_display": short_display(feedback_url),
        "feedback_qr": qr_svg(feedback_url, title=short_display(feedback_url)),
    }
    return render(request, "feedback/questionnaire.html", context)
