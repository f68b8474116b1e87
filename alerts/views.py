"""The public subscription pages: subscribe, confirm, unsubscribe.

Never cached, no JavaScript needed. The answer to a subscription is the same
for every address (new, pending, confirmed, throttled): the page tells nobody
whether an address is subscribed.
"""

from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import ratelimit, services, tokens
from alerts.forms import SubscribeForm
from alerts.models import Subscription


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method == "POST":
        address = ratelimit.client_address(request)
        if ratelimit.is_limited(address) or not ratelimit.hit(address):
            response = render(request, "alerts/rate_limited.html", status=429)
            response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
            return response
        form = SubscribeForm(request.POST)
        if form.is_valid():
            services.subscribe(
                email=form.cleaned_data["email"],
                filters=form.filters(),
                language=get_language(),
            )
            return redirect("alerts:sent")
    else:
        form = SubscribeForm(initial=_initial(request.GET))
    status = 400 if form.errors else 200
    return render(request, "alerts/subscribe.html", {"form": form}, status=status)


def _initial(query) -> dict:
    """Filters carried over from the list page's address (?bezirk=…), if valid."""
    probe = SubscribeForm(
        {**{k: query.get(k, "") for k in ("bezirk", "angebot", "zielgruppe")}}
    )
    probe.is_valid()
    return {
        name: probe.cleaned_data[name]
        for name in ("bezirk", "angebot", "zielgruppe")
        if probe.cleaned_data.get(name)
    }


@never_cache
@require_http_methods(["GET", "HEAD"])
def sent(request):
    return render(request, "alerts/sent.html")


def _bad_link(request, *, expired: bool = False, status: int = 400):
    return render(
        request,
        "alerts/bad_link.html",
        {"expired": expired},
        status=410 if expired else status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, pk: int, token: str):
    """GET shows a button (mail scanners follow links); POST confirms."""
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:  # never made, purged, or another Jobcenter's
        return _bad_link(request, status=404)
    try:
        filters = tokens.read_confirm_token(subscription, token)
    except tokens.ExpiredLink:
        return _bad_link(request, expired=True)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        language = filters.get("language")
        if not isinstance(language, str) or language not in _languages():
            language = get_language()
        services.confirm(subscription, filters, language)
        return render(request, "alerts/confirmed.html", {"subscription": subscription})
    return render(request, "alerts/confirm.html")


def _languages() -> set[str]:
    from django.conf import settings

    return {code for code, _name in settings.LANGUAGES}


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, pk: int, token: str):
    """RFC 8058: a POST deletes at once (no login, no CSRF); a GET asks first."""
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        # Already gone (or never ours): say so plainly, as after unsubscribing.
        return render(request, "alerts/unsubscribed.html", status=404)
    try:
        tokens.check_unsubscribe_token(subscription, token)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        services.unsubscribe(subscription)
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html")
