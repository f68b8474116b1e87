"""Visitor feedback: the form behind the QR code at the stand, and its thanks."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_safe

from events.models import Event
from feedback import form_pieces, ratelimit
from feedback.forms import FeedbackForm
from feedback.submission import Closed, closed_reason, closes_at, submit_feedback


def public_event(
    code: str, prefetch: tuple[str, ...] = ("translations", "location__translations")
) -> Event:
    # The URL converter (feedback/urls.py) lowers codes typed in capitals.
    return get_object_or_404(
        Event.objects.public().select_related("location").prefetch_related(*prefetch),
        short_code=code,
    )


@never_cache
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request, code):
    # The event's and place's texts are in the stored page; a submission needs
    # none (a form shown again with errors reads them when it needs them).
    event = public_event(code, ())
    reason = closed_reason(event)
    if reason is not None:
        status = 200 if reason == Closed.NOT_YET else 410
        context = {"event": event, "reason": reason, "closes_at": closes_at(event)}
        return render(request, "feedback/closed.html", context, status=status)

    if request.method != "POST":
        if form_pieces.fresh_visitor(request):
            page = form_pieces.whole_page(request, event)
            if page is not None:
                return HttpResponse(page)
        page = form_pieces.form_page(request, event)
        if page is not None:
            context = {"event": event, "form_page": page}
        else:
            context = {"event": event, "form": FeedbackForm(event=event)}
        return render(request, "feedback/form.html", context)

    form = FeedbackForm(request.POST, event=event)
    address = ratelimit.client_address(request)
    if form.is_bot:
        # Pretend success, so the bot learns nothing; store nothing.
        ratelimit.hit(address)
        return redirect("feedback:thanks", code=event.short_code)
    if ratelimit.is_limited(address):
        return render_rate_limited(request, event)
    if form.is_valid():
        if not ratelimit.hit(address):
            return render_rate_limited(request, event)
        submit_feedback(event, form.cleaned_data)
        return redirect("feedback:thanks", code=event.short_code)
    form.renew_fill_token()
    return render(request, "feedback/form.html", {"event": event, "form": form})


def form_again(request, code):
    """The feedback form with the answers just sent, after its security check failed.

    Used by quartier.views.csrf_failure (the cookie was blocked or lost): the
    answers stay, the page sets a fresh token, the visitor sends again. None if
    the form is not open (the plain failure page then explains).
    """
    event = public_event(code)
    if closed_reason(event) is not None:
        return None
    form = FeedbackForm(request.POST, event=event)
    context = {"event": event, "form": form, "send_again": True}
    return render(request, "feedback/form.html", context, status=403)


def answers_to_send_again(request) -> list[tuple[str, str]]:
    """The feedback answers just posted, as (name, value) pairs for hidden fields.

    Used by quartier.errors when the database was away and nothing was stored:
    the page sends them again as they came, with the original start time (so
    the minimum fill time still counts from when the form was first shown).
    Only the form's own fields; never the CSRF token, which the page renews.
    """
    return [
        (name, value)
        for name in FeedbackForm.base_fields
        for value in request.POST.getlist(name)
    ]


def render_rate_limited(request, event):
    response = render(
        request, "feedback/rate_limited.html", {"event": event}, status=429
    )
    response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


@never_cache
@require_safe
def thanks(request, code):
    event = public_event(code)
    return render(request, "feedback/thanks.html", {"event": event})
