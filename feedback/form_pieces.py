"""The feedback form's page body, built once per event, language and version.

Rendering the questionnaire (about 45 controls through crispy-forms) was most
of the form page's cost, yet it is the same for every visitor of one event in
one language. So the unbound form's body is built once and kept as a stored
piece (``events.pieces.stored_pieces``: per Jobcenter, public-page generation,
language, event and its ``updated_at``), with two holes for what each visitor
gets of their own: the CSRF token and the signed start time. Filling them in
gives the very bytes a fresh render gives (the first visitor's page is
rendered the usual way and cut where their values are).

A form shown again with errors, or after a failed security check, is rendered
the slow way: it carries the visitor's answers.
"""

from hashlib import sha256
from pathlib import Path

import crispy_forms
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from events.models import Event
from events.pieces import stored_pieces
from feedback import forms as feedback_forms
from feedback.forms import FeedbackForm, fill_token

PAGE_TEMPLATE = "feedback/includes/form_page.html"
KIND = "feedback-form"


def _code_stamp() -> str:
    """What the piece is built from besides rows: this code, its templates,
    the translation catalogues and crispy-forms. A deploy that changes any of
    them builds new pieces rather than serving a stored one from before."""
    templates = Path(settings.BASE_DIR) / "templates" / "feedback"
    files = [
        Path(feedback_forms.__file__),
        Path(__file__),
        *sorted(templates.glob("includes/*.html")),
        *sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/django.mo")),
    ]
    digest = sha256(crispy_forms.__version__.encode())
    for path in files:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(str(path).encode())
    return digest.hexdigest()[:12]


CODE_STAMP = _code_stamp()


def cut(html: str, token: str, started: str) -> tuple[str, str, str] | None:
    """The body with holes: (before the CSRF token, before the start time, rest).

    Cut where this visitor's own values are (random enough never to occur
    elsewhere); None if one does not come out exactly once, in order.
    """
    if html.count(token) != 1 or html.count(started) != 1:
        return None
    head, rest = html.split(token)
    if started not in rest:
        return None
    middle, tail = rest.split(started)
    return head, middle, tail


def form_page(request, event: Event) -> SafeString | None:
    """The unbound form's page body for this visitor, from the stored piece.

    When the piece is missing it is rendered the usual way, for this visitor,
    and cut into the piece for the next ones.
    """
    # Both values are made of letters, digits and ":_-": nothing to escape.
    token = get_token(request)
    started = fill_token(event.short_code)
    rendered = {}

    def build(events):
        pieces = {}
        for entry in events:
            form = FeedbackForm(event=entry)
            form.fields["started"].initial = started
            context = {"event": entry, "form": form, "csrf_token": token}
            html = render_to_string(PAGE_TEMPLATE, context, request)
            rendered[entry.pk] = html
            piece = cut(html, token, started)
            if piece is not None:
                pieces[entry.pk] = piece
        return pieces

    pieces = stored_pieces([event], KIND, build, vary=(CODE_STAMP, request.path))
    if event.pk in rendered:
        return mark_safe(rendered[event.pk])
    if not pieces:
        return None
    head, middle, tail = pieces[0]
    return mark_safe(f"{head}{token}{middle}{started}{tail}")
