from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from quartier import languages, staffauth

# No 'unsafe-inline' anywhere: scripts and styles live in files under static/.
# JSON-LD blocks are data, not scripts, so script-src does not apply to them.
PUBLIC_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The name under which Reporting-Endpoints announces CSP_REPORT_URI.
REPORT_GROUP = "csp-endpoint"


def content_security_policy(report_uri: str = "") -> str:
    """The policy, with where browsers send violation reports when one is set."""
    if not report_uri:
        return PUBLIC_POLICY
    return f"{PUBLIC_POLICY}; report-uri {report_uri}; report-to {REPORT_GROUP}"


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy with every response.

    With CSP_REPORT_URI set, browsers report violations there: older ones
    through report-uri, current ones through report-to and Reporting-Endpoints.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and request.path.startswith("/__debug__/"):
            return response
        report_uri = settings.CSP_REPORT_URI
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(report_uri)
        )
        if report_uri:
            response.headers.setdefault(
                "Reporting-Endpoints", f'{REPORT_GROUP}="{report_uri}"'
            )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=()"
        )
        return response


class StaffSessionMiddleware:
    """Keep a logged-in session alive while it is used.

    A session ends STAFF_SESSION_IDLE_MINUTES after its last request. Visitors
    without a session cookie are not touched, so public pages never get one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.session_key and request.user.is_authenticated:
            staffauth.keep_session_alive(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until a user who needs a second factor gave a code, allow nothing else.

    After the password step such a user is sent to enter a code, or to set up
    the authenticator app first; every other page (admin, /team/,
    /auswertung/, …) redirects there.
    """

    OPEN_URL_NAMES = (
        "staffauth:verify",
        "staffauth:enrol",
        "admin:logout",
        "healthz",
        "readyz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.session.session_key
            and request.user.is_authenticated
            and not request.user.is_verified()
            and staffauth.session_needs_second_factor(request)
            and not self._is_open(request)
        ):
            return self._redirect(request)
        return self.get_response(request)

    def _is_open(self, request) -> bool:
        if request.path.startswith(
            ("/" + settings.STATIC_URL, "/" + settings.MEDIA_URL)
        ):
            return True
        return request.path in {reverse(name) for name in self.OPEN_URL_NAMES}

    def _redirect(self, request):
        target = (
            "staffauth:verify"
            if staffauth.has_app_device(request.user)
            else "staffauth:enrol"
        )
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")


class NulByteMiddleware:
    """Never send a NUL byte in a page.

    A form shown again echoes what was typed, escaped; HTML escaping leaves
    NUL alone, which is a parse error in HTML. It becomes U+FFFD, as a browser
    would read it anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"\x00" in response.content
        ):
            response.content = response.content.replace(b"\x00", "\ufffd".encode())
        return response


class BrowserLanguageMiddleware:
    """A first visit to a German page follows the browser's language.

    Decided before the view, so before its page cache: a visitor whose
    browser prefers Arabic and who has no language cookie is sent to the
    Arabic address and never gets the German page from the cache; everyone
    else gets the German page, cached as before (its cache key is the
    language and the address, not these headers). The redirect depends on
    Accept-Language and the cookie, says so in Vary and is never cached,
    so choosing German later is not undone by a remembered redirect; the
    German page itself says the same Vary for any cache in between.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if languages.follows_browser_language(request):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        target = languages.browser_language_url(request)
        if target is None:
            return None
        response = HttpResponseRedirect(target)
        add_never_cache_headers(response)
        return response
