"""/api/v1/: the API's operations, each wrapped in api.http.serve, and a JSON 404.

Mounted by quartier/urls.py outside the language prefixes: the language is a
parameter (``?sprache=``), so one address serves every language.
"""

from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt

from api.http import error_response, serve
from api.views import api

app_name = "api"


@csrf_exempt  # reads only; a POST gets 405, not the CSRF page
def unknown(request, *args, **kwargs):
    from django.utils.translation import gettext as _

    return error_response(404, _("Not found."))


def _wrapped(pattern: URLPattern) -> URLPattern:
    pattern.callback = serve(pattern.callback)
    return pattern


urlpatterns = [
    _wrapped(pattern)
    for pattern in api.urls[0]
    # ninja's own root view only says where its docs are (there are none).
    if isinstance(pattern, URLPattern) and pattern.name != "api-root"
]
urlpatterns.append(_wrapped(re_path(r"^[\s\S]*$", unknown, name="not_found")))
