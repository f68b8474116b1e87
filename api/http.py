"""What every API answer carries, whatever the operation: one wrapper, ``serve``.

- Methods: GET and HEAD answer; OPTIONS answers a CORS preflight; anything
  else is 405 with ``Allow``. Nothing is ever written, so no CSRF token is
  needed and no cookie is set.
- CORS: ``Access-Control-Allow-Origin: *`` on every answer (errors and 304s
  included, so a page on a partner's site can read them), never with
  credentials. A few headers do not need a library.
- Caching: ``Cache-Control: public`` with a short max-age, an ``ETag`` on
  every answer and 304 for a matching ``If-None-Match``, decided here so the
  304 keeps the CORS headers (Django's ConditionalGetMiddleware would drop
  them). Anonymous answers also go through the public page cache
  (``events.caching.public_cache``), keyed by Jobcenter, language, path and
  the parameters read, and dropped with every change to the Jobcenter's rows.
- Language: ``?sprache=`` if given, else the best match of Accept-Language,
  else German (docs/api.md, "Languages").
"""

import json
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.translation import gettext as _
from django.utils.translation import trans_real

from api import params
from events.caching import public_cache

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
# Seconds a browser or proxy may keep an answer without asking again.
DEFAULT_MAX_AGE = 60
# Request headers a script on another site may send (the rest are safelisted).
ALLOWED_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match"
# Response headers such a script may read besides the safelisted ones.
EXPOSED_HEADERS = "ETag, X-Request-ID"
PREFLIGHT_MAX_AGE = 86_400


def max_age() -> int:
    return getattr(settings, "API_MAX_AGE", DEFAULT_MAX_AGE)


def dumps(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(
        dumps(data), status=status, content_type="application/json; charset=utf-8"
    )


def error_response(status: int, title: str, errors=()) -> HttpResponse:
    """An error as api.schemas.Error: a title and, per parameter, a message."""
    return json_response(
        {
            "status": status,
            "title": str(title),
            "errors": [
                {"parameter": name, "message": str(message)} for name, message in errors
            ],
        },
        status=status,
    )


def requested_language(request) -> str:
    """``?sprache=`` if it is a site language, else the best of Accept-Language.

    An unknown ``sprache`` answers in German; the operation then refuses it
    (params.check_language). The language cookie is not read: an API answer
    depends on its address and headers only.
    """
    asked = request.GET.get(params.LANGUAGE_PARAMETER)
    if asked is not None:
        return asked if asked in params.language_codes() else settings.LANGUAGE_CODE
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def allow_cross_origin(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def not_allowed() -> HttpResponse:
    response = error_response(405, _("This address can only be read (GET)."))
    response["Allow"] = ", ".join(ALLOWED_METHODS)
    return response


def conditional(request, response: HttpResponse) -> HttpResponse:
    """ETag and Cache-Control on every answer; 304 when the client has it."""
    if response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    patch_cache_control(response, public=True, max_age=max_age())
    patch_vary_headers(response, ("Accept-Language",))
    response["Content-Language"] = translation.get_language()
    if 200 <= response.status_code < 300:
        return get_conditional_response(
            request, etag=response["ETag"], response=response
        )
    return response


def serve(view):
    """Wrap an API view in what every answer carries (see the module's text)."""
    # Empty values stay: `seite=` is not a whole number, and the API says so
    # (its document types it as an integer), where a page's form means "all".
    cached = public_cache(view, query=params.READ, keep_empty=True)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        method = request.method
        if method == "OPTIONS":
            return allow_cross_origin(preflight())
        if method not in ALLOWED_METHODS:
            return allow_cross_origin(not_allowed())
        with translation.override(requested_language(request)):
            try:
                params.check_language(request)
            except params.ParameterError as error:
                response = error_response(
                    400, _("The request's parameters are not valid."), error.errors
                )
            else:
                # HEAD is GET without the body (the operations answer GET only).
                request.method = "GET"
                try:
                    response = cached(request, *args, **kwargs)
                finally:
                    request.method = method
                if response.status_code == 429:
                    # Past the client's budget of builds (events.budget): the
                    # same refusal, as JSON, with its Retry-After.
                    wait = response["Retry-After"]
                    response = error_response(429, _("Too many requests"))
                    response["Retry-After"] = wait
            response = conditional(request, response)
        if method == "HEAD" and response.status_code != 304 and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return allow_cross_origin(response)

    return wrapped
