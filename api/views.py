"""The open data API, version 1: read-only JSON with an OpenAPI 3 document.

django-ninja makes the OpenAPI document from the operations and the pydantic
models in api.schemas, and checks every answer against its model before it
is sent; the event list is joined from stored pieces instead, each checked
against schemas.Event when it was built (api.pieces). The query parameters are read and checked by api.params (the list
page's own form for the filters) and documented there by hand; the contract
test holds the document and the behaviour together. What every answer
carries (CORS, ETag, caching, methods, language) is api.http's, wrapped
around each URL pattern in api.urls.
"""

from functools import lru_cache

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from api import params, pieces, present, schemas, selectors
from api.http import error_response, json_response
from events.caching import generation
from events.models import Event, EventSlugRedirect
from events.structured_data import absolute_url

VERSION = "1"
DESCRIPTION = """\
Dates, places and services of the Jobcenter's outreach programme
„Jobcenter im Quartier“, as open data. Read-only, no key, CORS open to every
origin. Each host serves its own Jobcenter's rows.

Texts come in the language of `?sprache=` (else Accept-Language, else
German); a text without a translation is given in German and marked
`fallback`. Times are ISO 8601 with the offset of Europe/Berlin. Every answer
has an ETag (send If-None-Match for a 304) and may be kept for a minute.
Version 1 is stable: fields may be added, none removed or changed.
"""


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Jobcenter im Quartier: open data",
    version=VERSION,
    description=DESCRIPTION,
    openapi_url=None,  # served below, through the same wrapper as the rest
    docs_url=None,  # no Swagger UI: it would load from a CDN
    urls_namespace="api",
    renderer=Renderer(),
)

PUBLIC = (Event.Status.PUBLISHED, Event.Status.CANCELLED)
ERRORS = {400: schemas.Error, 404: schemas.Error}
NOT_MODIFIED = {304: {"description": "Not modified (If-None-Match matched the ETag)."}}


def documented(*parameters: dict, **extra) -> dict:
    return {
        "parameters": [*parameters, params.language_parameter()],
        "responses": NOT_MODIFIED,
        **extra,
    }


@api.exception_handler(params.ParameterError)
def bad_parameters(request, error):
    return error_response(
        400, _("The request's parameters are not valid."), error.errors
    )


@api.exception_handler(ValidationError)
def invalid(request, error):
    return error_response(400, _("The request's parameters are not valid."))


@api.exception_handler(Http404)
def not_found(request, error):
    return error_response(404, _("Not found."))


def collect(*checks):
    """Run every check, so one answer names every wrong parameter."""
    results, errors = [], []
    for check in checks:
        try:
            results.append(check())
        except params.ParameterError as error:
            errors += error.errors
            results.append(None)
    if errors:
        raise params.ParameterError(errors)
    return results


def page_address(request, number: int) -> str:
    """The same list with another page number, as an absolute address."""
    query = QueryDict(mutable=True)
    for name in params.READ:
        # Empty values mean "all" (the filters) or were refused (the paging).
        if name != "seite" and request.GET.get(name):
            query[name] = request.GET[name]
    query["seite"] = str(number)
    return absolute_url(f"{request.path}?{query.urlencode()}")


def page_of(request, rows: QuerySet, paging: params.Paging, show) -> dict:
    """One page of rows, with its counts and the addresses of its neighbours.

    A page past the end is 404 (page 1 of an empty list is an empty page).
    """
    paginator = Paginator(rows, paging.size)
    if paging.number > paginator.num_pages:
        raise params.ParameterError(
            [
                (
                    "seite",
                    _("There is no page %(number)s; the last page is %(last)s.")
                    % {"number": paging.number, "last": paginator.num_pages},
                )
            ]
        )
    page = paginator.page(paging.number)
    return {
        "count": paginator.count,
        "page": page.number,
        "page_size": paging.size,
        "pages": paginator.num_pages,
        "next": page_address(request, page.number + 1) if page.has_next() else None,
        "previous": (
            page_address(request, page.number - 1) if page.has_previous() else None
        ),
        "results": [show(row) for row in page.object_list],
    }


@api.get(
    "/",
    response={200: schemas.Index, 400: schemas.Error},
    url_name="index",
    operation_id="index",
    summary="Where everything is",
    openapi_extra=documented(),
)
def index(request):
    def address(name: str) -> str:
        return absolute_url(reverse(f"api:{name}"))

    return {
        "version": VERSION,
        "language": get_language(),
        "openapi": address("openapi"),
        "events": address("events"),
        "locations": address("locations"),
        "districts": address("districts"),
        "services": address("services"),
        "target_groups": address("target_groups"),
    }


@api.get(
    "/events",
    response={200: schemas.EventPage, **ERRORS},
    url_name="events",
    # distance_km is left out unless the list is sorted by distance (?plz=).
    exclude_unset=True,
    operation_id="listEvents",
    summary="Published and cancelled events, upcoming or past",
    description="Never drafts. The filters are those of the list page `/`.",
    openapi_extra=documented(*params.filter_parameters(), *params.paging_parameters()),
)
def events(request):
    version = generation()  # before the rows: see events.pieces
    period, filters, paging = collect(
        lambda: params.period(request),
        lambda: params.event_filters(request),
        lambda: params.paging(request),
    )
    entries = selectors.event_entries(period, filters)
    page = page_of(request, entries, paging, lambda entry: entry)
    # Each event's JSON is stored, checked against the schema when it was
    # built (api.pieces): the page is joined from it, not validated again.
    found = pieces.event_pieces(page.pop("results"), version)
    return HttpResponse(
        pieces.page_json(page, found), content_type=api.get_content_type()
    )


@api.get(
    "/events/{slug:slug}",
    response={200: schemas.Event, 301: None, **ERRORS},
    url_name="event",
    operation_id="getEvent",
    summary="One event by its slug",
    description="A former slug answers 301 with the current address.",
    openapi_extra=documented(),
)
def event(request, slug: str):
    row = selectors.event(slug)
    if row is None:
        former = (
            EventSlugRedirect.objects.filter(old_slug=slug, event__status__in=PUBLIC)
            .values_list("event__slug", flat=True)
            .first()
        )
        if former is None:
            raise Http404
        target = reverse("api:event", kwargs={"slug": former})
        query = request.GET.urlencode()
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
    return present.event(row)


def simple_list(name: str, response, operation_id: str, summary: str, rows, show):
    @api.get(
        f"/{name.replace('_', '-')}",
        response={200: response, **ERRORS},
        url_name=name,
        operation_id=operation_id,
        summary=summary,
        openapi_extra=documented(*params.paging_parameters()),
    )
    def listing(request):
        (paging,) = collect(lambda: params.paging(request))
        return page_of(request, rows(), paging, show)

    listing.__name__ = name
    return listing


locations = simple_list(
    "locations",
    schemas.LocationPage,
    "listLocations",
    "Places where events are held (not archived), by name",
    selectors.locations,
    present.location,
)
districts = simple_list(
    "districts",
    schemas.DistrictPage,
    "listDistricts",
    "Districts (not archived), by name: values of `bezirk`",
    selectors.districts,
    present.district,
)
services = simple_list(
    "services",
    schemas.ServicePage,
    "listServices",
    "Services offered (not archived), by category and title",
    selectors.services,
    present.service,
)
target_groups = simple_list(
    "target_groups",
    schemas.TargetGroupPage,
    "listTargetGroups",
    "Target groups (not archived), by name: values of `zielgruppe`",
    selectors.target_groups,
    present.target_group,
)


@lru_cache(maxsize=8)
def openapi_document(prefix: str) -> bytes:
    """The OpenAPI document, made once per process (it depends on code only)."""
    from api.http import dumps

    return dumps(api.get_openapi_schema(path_prefix=prefix))


@api.get("/openapi.json", url_name="openapi", include_in_schema=False)
def openapi(request):
    response = json_response(None)
    response.content = openapi_document(reverse("api:index"))
    return response
