"""Error pages for failures on our side: a 503 while the database is away, else a 500.

``handler500`` sees every uncaught exception, whether a view, a template or a
middleware raised it (sessions and authentication reach the database lazily,
from wherever ``request.user`` is first read). Neither page touches the
database: they are rendered with the site-wide values only (settings: name,
logo, brand colour), not the other context processors, from what the request
already holds.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from feedback import views as feedback_views
from quartier import context_processors
from quartier.requestid import request_id

logger = logging.getLogger(__name__)

# What a database that refuses connections, restarts or drops them raises.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from, means the database is away."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def server_error(request):
    """handler500: a 503 with Retry-After for a database outage, else a 500."""
    if is_outage(sys.exc_info()[1]):
        response = outage_page(request)
    else:
        response = error_page(request, "500.html", {}, status=500)
    add_never_cache_headers(response)
    return response


def outage_page(request) -> HttpResponse:
    """503: the database is away; a feedback form sent now comes back to send again."""
    context = {}
    match = request.resolver_match
    if request.method == "POST" and match and match.view_name == "feedback:form":
        context["answers"] = feedback_views.answers_to_send_again(request)
        context["csrf_token"] = get_token(request)
    response = error_page(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_page(request, template_name: str, context: dict, *, status: int):
    """Render an error page from the request alone: no context processors, no queries."""
    context = {
        "request": request,
        "request_id": request_id(request),
        **context_processors.site(request),
        **context,
    }
    try:
        content = loader.get_template(template_name).render(context)
    except Exception:
        # The page itself failed: say the least that is still true.
        logger.exception("Error page %s could not be rendered", template_name)
        content = gettext(
            "Sorry, something went wrong. Please try again later. "
            "Error number: %(request_id)s"
        ) % {"request_id": context["request_id"]}
        return HttpResponse(content, status=status, content_type="text/plain")
    return HttpResponse(content, status=status)
