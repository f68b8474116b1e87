"""The feedback form's page, built once per event, language and version.

Rendering the questionnaire (about 45 controls through crispy-forms) was most
of the form page's cost, yet it is the same for every visitor of one event in
one language. So the unbound form's body is built once and kept as a stored
piece (``events.pieces.stored_pieces``: per Jobcenter, public-page generation,
language, event and its ``updated_at``), with two holes for what each visitor
gets of their own: the CSRF token and the signed start time. Filling them in
gives the very bytes a fresh render gives (the first visitor's page is
rendered the usual way and cut where their values are).

A visitor without a session (fresh_visitor) gets the whole page that way, the
site's frame around the body included; anyone else the stored body inside a
frame rendered for them. A form shown again with errors, or after a failed
security check, is rendered the slow way: it carries the visitor's answers.
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
WHOLE_TEMPLATE = "feedback/form.html"
WHOLE_KIND = "feedback-form-page"


def _code_stamp() -> str:
    """What the piece is built from besides rows: this code, its templates,
    the translation catalogues and crispy-forms. A deploy that changes any of
    them builds new pieces rather than serving a stored one from before."""
    templates = Path(settings.BASE_DIR) / "templates"
    files = [
        Path(feedback_forms.__file__),
        Path(__file__),
        *sorted(templates.glob("*.html")),
        *sorted(templates.glob("includes/*.html")),
        *sorted(templates.glob("jobcenters/includes/*.html")),
        *sorted(templates.glob("feedback/*.html")),
        *sorted(templates.glob("feedback/includes/*.html")),
        *sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/django.mo")),
    ]
    digest = sha256(f"{crispy_forms.__version__}|{settings.SITE_NAME}".encode())
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


def fresh_visitor(request) -> bool:
    """Whether the whole page can come from the stored piece.

    True for a visitor without a session or messages and an address without a
    query string: what the surrounding page shows (menu, language links,
    notices) then depends on nothing but the address and the Jobcenter.
    """
    cookies = request.COOKIES
    return (
        not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def holes_filled(
    request,
    event: Event,
    kind: str,
    template: str,
    context,
    values: dict | None = None,
) -> SafeString | None:
    """A stored piece of ``kind`` with this visitor's values filled in.

    When it is missing, ``template`` is rendered the usual way with
    ``context(event, values)``, ``values`` being this visitor's CSRF token
    and start time, and cut into the piece for the next ones.
    """
    # Both values are made of letters, digits and ":_-": nothing to escape.
    if values is None:
        values = {
            "csrf_token": get_token(request),
            "started": fill_token(event.short_code),
        }
    token, started = values["csrf_token"], values["started"]
    rendered = {}

    def build(events):
        pieces = {}
        for entry in events:
            html = render_to_string(template, context(entry, values), request)
            rendered[entry.pk] = html
            piece = cut(html, token, started)
            if piece is not None:
                pieces[entry.pk] = piece
        return pieces

    pieces = stored_pieces([event], kind, build, vary=(CODE_STAMP, request.path))
    if event.pk in rendered:
        return mark_safe(rendered[event.pk])
    if not pieces:
        return None
    head, middle, tail = pieces[0]
    return mark_safe(f"{head}{token}{middle}{started}{tail}")


def body_context(entry: Event, values: dict) -> dict:
    form = FeedbackForm(event=entry)
    form.fields["started"].initial = values["started"]
    return {"event": entry, "form": form, "csrf_token": values["csrf_token"]}


def form_page(request, event: Event) -> SafeString | None:
    """The unbound form's page body for this visitor, from the stored piece."""
    return holes_filled(request, event, KIND, PAGE_TEMPLATE, body_context)


def whole_page(request, event: Event) -> SafeString | None:
    """The whole form page for a fresh visitor (fresh_visitor), from a piece.

    Built from the stored body, so the two always agree.
    """

    def page_context(entry: Event, values: dict) -> dict:
        body = holes_filled(request, entry, KIND, PAGE_TEMPLATE, body_context, values)
        if body is None:
            return body_context(entry, values)
        return {"event": entry, "form_page": body, "csrf_token": values["csrf_token"]}

    return holes_filled(request, event, WHOLE_KIND, WHOLE_TEMPLATE, page_context)
