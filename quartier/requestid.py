"""A short id per request: in the response header, on error pages and in the logs.

A citizen who sees an error page can quote the id; staff find the matching log
line by it. A proxy in front may pass its own id in ``X-Request-ID`` so both
logs match: it is taken only if it is a short, well-formed token, never echoed
as it came otherwise.
"""

import re
import secrets

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# Letters, digits and inner hyphens, 8 to 64 characters: a UUID, nginx's
# $request_id or our own ids fit; nothing that could break a log line does.
WELL_FORMED = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{6,62})[A-Za-z0-9]")


def new_request_id() -> str:
    """A fresh id, short enough to read out on the phone (12 hex digits)."""
    return secrets.token_hex(6)


def request_id_for(incoming: str | None) -> str:
    """The incoming id if it is well-formed, else a fresh one."""
    if incoming and WELL_FORMED.fullmatch(incoming):
        return incoming
    return new_request_id()


def request_id(request) -> str:
    """The request's id ("" if the middleware did not see it)."""
    return getattr(request, "request_id", "")


class RequestIdMiddleware:
    """Give every request an id (``request.request_id``) and send it back.

    First in MIDDLEWARE, so errors raised by any other middleware already
    carry the id when they are logged and shown.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request.META.get(META_KEY))
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response
