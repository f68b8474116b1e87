from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from events.caching import public_cache
from feedback import views as feedback_views
from jobcenters.hosts import site_url
from jobcenters.legal import legal_context
from quartier import health, languages
from quartier.brand import brand_color, brand_css


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database answers, is migrated, and the shared cache answers."""
    problem = health.readiness_problem()
    if problem is not None:
        return HttpResponse(problem, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def choose_language(request, code):
    """/sprache/<code>/?next=<address>: keep the choice, show the page in it.

    The language menu links here, so a visitor who picked German is never
    sent to the browser's language again. Public pages themselves stay free
    of cookies and cacheable; only this redirect sets one.
    """
    if not languages.is_site_language(code):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(languages.translated_url(next_url, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# Linked with ?v=<hash of the colour>: a new colour is a new address, so
# browsers may keep this one for a day without asking.
@cache_control(public=True, max_age=86_400)
@require_safe
def brand_stylesheet(request):
    """/marke.css: the Jobcenter's brand colour as CSS custom properties."""
    color = brand_color(request.jobcenter)
    return HttpResponse(brand_css(color), content_type="text/css; charset=utf-8")


class LegalPageView(TemplateView):
    """A legal page, filled with the details of the request's Jobcenter."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(legal_context(self.request.jobcenter))
        context["site_address"] = site_url(self.request.jobcenter) + "/"
        return context


class PrivacyView(LegalPageView):
    template_name = "legal/privacy.html"

    def get_context_data(self, **kwargs):
        # The statement names the rule the code applies (COMMENT_RETENTION_MONTHS).
        context = super().get_context_data(**kwargs)
        context["retention_months"] = settings.COMMENT_RETENTION_MONTHS
        return context


# The legal pages: the same for every visitor of a Jobcenter, so cached like
# the event pages.
imprint = public_cache(LegalPageView.as_view(template_name="legal/imprint.html"))
privacy = public_cache(PrivacyView.as_view())
accessibility = public_cache(
    LegalPageView.as_view(template_name="legal/accessibility.html")
)
easy_read = public_cache(LegalPageView.as_view(template_name="legal/easy_read.html"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form came without a valid security token; nothing is saved.

    The feedback form is shown again with the visitor's answers, ready to send
    once more; any other form gets a page that says what happened.
    """
    match = request.resolver_match
    response = None
    if match is not None and match.view_name == "feedback:form":
        response = feedback_views.form_again(request, match.kwargs["code"])
    if response is None:
        response = render(request, "403_csrf.html", status=403)
    add_never_cache_headers(response)
    return response
