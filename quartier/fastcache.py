"""Answer anonymous hits of the public page cache before the rest of the stack.

``events.caching.public_cache`` answers a hit inside the view, after
sessions, authentication, CSRF, second factor, messages and history have run
for nothing: a visitor without a session cookie is anonymous, and a cached
page holds no token or message. This middleware sits right after
``JobcenterMiddleware`` (request id, security headers, CSP and static files
still apply) and answers such a hit itself:

- only GET and HEAD without the session cookie (staff always get fresh pages
  and previews, forms go the normal way);
- in the language the normal stack would choose (the URL's prefix, German
  without one), and never where ``BrowserLanguageMiddleware`` would redirect
  a first visit;
- for a path whose view is a ``public_cache`` wrapper (resolved once per
  path and language, memoised per process), under the key the wrapper
  computes from the parameters it declares;
- with the headers the skipped middleware add to such a response (X-Frame-
  Options, ETag/304, Content-Length, Vary, Content-Language), added by the
  same code in the same order.

Anything else, and every miss, falls through to the normal stack, which
builds the page and stores it as before.
"""

from functools import lru_cache

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from events import budget
from events.caching import cache_key, cached_page
from quartier import languages
from quartier.middleware import NulByteMiddleware

# Longer paths are never public pages; they are not worth a memo entry.
MAX_PATH_LENGTH = 300
# Request headers that can turn a hit into a 304 (or 412).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


@lru_cache(maxsize=4096)
def route(urlconf: str, path_info: str):
    """(language, whether the path names it, ResolverMatch) of a cached page.

    None unless the path resolves to a ``public_cache`` wrapper and the path
    alone decides the language, as LocaleMiddleware decides it with i18n
    patterns that leave German unprefixed: the prefix's language, else German.
    Resolved in that language (i18n prefixes match the active language).
    """
    i18n_patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
    if not i18n_patterns_used or prefixed_default:
        return None
    from_path = translation.get_language_from_path(path_info)
    language = from_path or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path_info, urlconf)
        except Resolver404:
            return None
    func = match.func
    if getattr(func, "public_cache_wrapper", None) is not func:
        return None
    return language, from_path is not None, match


@receiver(setting_changed)
def _forget_routes(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"}:
        route.cache_clear()


def _respond(response):
    return lambda request: response


class EarlyPageCacheMiddleware:
    """Serve anonymous cache hits of public pages before sessions and auth."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Only their request and response hooks are called, never get_response.
        self.common = CommonMiddleware(get_response)
        self.conditional_get = ConditionalGetMiddleware(get_response)
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        response = self.cached_response(request)
        if response is None:
            return self.get_response(request)
        return response

    def cached_response(self, request):
        """The stored page, finished as the skipped middleware would, or None."""
        if (
            not settings.PUBLIC_CACHE_SECONDS
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or len(request.path_info) > MAX_PATH_LENGTH
        ):
            return None
        jobcenter = getattr(request, "jobcenter", None)
        if jobcenter is None:
            return None
        found = route(get_urlconf() or settings.ROOT_URLCONF, request.path_info)
        if found is None or (
            # CommonMiddleware answers these itself (403, www. redirect).
            (settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW)
            and self.common.process_request(request) is not None
        ):
            return None
        language, prefixed, match = found
        translation.activate(language)
        request.LANGUAGE_CODE = language
        request.resolver_match = match
        first_visit = languages.follows_browser_language(request)
        if first_visit and languages.browser_language_url(request) is not None:
            return None  # BrowserLanguageMiddleware redirects this first visit
        key = cache_key(
            request, match.func.public_cache_query, match.func.public_cache_keep_empty
        )
        response, _generation = cached_page(key, jobcenter.pk)
        if response is None:
            # A miss is a build: a client past its budget is refused here,
            # before sessions and authentication cost anything.
            refused = budget.told_to_wait(request) or budget.refusal(request)
            if refused is None:
                return None
            return self.frame_options.process_response(request, refused)
        return self.finish(request, response, language, prefixed, first_visit)

    def finish(self, request, response, language, prefixed, first_visit):
        """What the response passes through below this middleware on a late hit.

        Innermost first, as in MIDDLEWARE: NUL bytes, X-Frame-Options,
        conditional GET (ETag/Last-Modified, 304; only asked when the request
        carries a validator), Content-Length, then Vary: the first visit's
        (BrowserLanguageMiddleware), the unprefixed page's (LocaleMiddleware),
        the session's (the late hit reads ``request.user``, which touches the
        session), and Content-Language (LocaleMiddleware).
        """
        response = NulByteMiddleware(_respond(response))(request)
        response = self.frame_options.process_response(request, response)
        if not response.has_header("ETag") or any(
            name in request.META for name in CONDITIONAL_HEADERS
        ):
            response = self.conditional_get.process_response(request, response)
        response = self.common.process_response(request, response)
        vary = []
        if first_visit:
            vary += ["Accept-Language", "Cookie"]
        if not prefixed:
            vary.append("Accept-Language")
        vary.append("Cookie")
        patch_vary_headers(response, list(dict.fromkeys(vary)))
        response.headers.setdefault("Content-Language", language)
        return response
