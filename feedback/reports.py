"""Coordinator pages under /auswertung/: figures, event reports, locations, channels.

Only users with the permission ``feedback.view_summaries`` (group Koordination,
superusers) see them; the pages are private and never cached. Every table can
be downloaded with ``?format=csv&tabelle=<slug>``.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from events.models import Event, Location, in_source_language
from feedback import regional, report_tables, summaries
from feedback.csv_export import csv_response
from feedback.reports_forms import ReportFilterForm
from jobcenters import staff

EVENTS_PER_PAGE = 20
SORT_ORDERS = {"reichweite": "reach", "bewertung": "rating"}


def coordinator_page(view):
    """Logged in (else the admin login) with view_summaries (else 403); never cached."""

    @wraps(view)
    @cache_control(private=True, no_store=True)
    @login_required
    @permission_required("feedback.view_summaries", raise_exception=True)
    @require_safe
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def table_csv(tables: list[report_tables.Table], request, prefix: str):
    """The table named by ?tabelle= as a CSV download; 404 if there is none."""
    slug = request.GET.get("tabelle", "")
    table = next((table for table in tables if table.slug == slug), None)
    if table is None:
        raise Http404
    return csv_response(f"{prefix}-{slug}.csv", table.csv_header(), table.csv_rows())


def filter_form(request) -> tuple[ReportFilterForm, summaries.Filters, str]:
    """The form, the filters it yields, and its query string for links to other pages."""
    form = ReportFilterForm(request.GET)
    filters = form.filters()
    query = ""
    if form.is_valid():
        query = urlencode(
            {name: value for name in form.fields if (value := request.GET.get(name))}
        )
    return form, filters, query


@coordinator_page
def overview(request):
    form, filters, query = filter_form(request)
    held = (
        summaries.held_events(filters)
        .select_related("location__district")
        .prefetch_related("translations", "location__translations")
        .order_by("-start", "-pk")
    )
    if wants_csv(request) and request.GET.get("tabelle") == "veranstaltungen":
        # Plain tuples: thousands of model instances would cost more than the query.
        table = report_tables.events_table(
            held.annotate(
                title=in_source_language(Event, "title"),
                location_name=in_source_language(
                    Location, "name", master="location_id"
                ),
            ).values_list("title", "start", "location_name", "location__district__name")
        )
        return csv_response(
            "auswertung-veranstaltungen.csv", table.csv_header(), table.csv_rows()
        )
    figures = summaries.overview(filters)
    tables = [
        report_tables.figures_table(figures),
        report_tables.averages_table(figures),
        report_tables.self_description_table(summaries.self_descriptions(filters)),
        report_tables.answer_languages_table(summaries.answer_languages(filters)),
    ]
    if wants_csv(request):
        return table_csv(tables, request, "auswertung")
    page = Paginator(held, EVENTS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(
        request,
        "feedback/reports/overview.html",
        {
            "report_page": "overview",
            "form": form,
            "filter_query": query,
            "headline": report_tables.headline(figures),
            "figures": tables[0],
            "averages": tables[1],
            "respondents": tables[2],
            "answer_languages": tables[3],
            "events": page,
            "regional_view": staff.coordinates_several(request),
        },
    )


@coordinator_page
def event_report(request, pk: int):
    event = get_object_or_404(
        Event.objects.select_related("location__district").prefetch_related(
            "translations", "location__translations"
        ),
        pk=pk,
    )
    report = summaries.event_report(event)
    tables = report_tables.event_tables(report)
    if wants_csv(request):
        return table_csv(tables, request, f"veranstaltung-{event.pk}")
    by_slug = {table.slug.replace("-", "_"): table for table in tables}
    valued, weak = report_tables.valued_and_weak(report.figures)
    return render(
        request,
        "feedback/reports/event.html",
        {
            "event": event,
            "report": report,
            "headline": report_tables.headline(report.figures),
            "tables": by_slug,
            "ratings": [
                table for table in tables if table.slug.startswith("bewertung")
            ],
            "valued": valued,
            "weak": weak,
            "reach": report_tables.event_reach(report),
            "print_view": request.GET.get("druck") == "1",
        },
    )


@coordinator_page
def locations(request):
    form, filters, query = filter_form(request)
    sort = request.GET.get("sortierung")
    if sort not in SORT_ORDERS:
        sort = "reichweite"
    order = SORT_ORDERS[sort]
    rows = summaries.locations_compared(filters, order=order)
    table = report_tables.locations_table(rows, order=order)
    if wants_csv(request):
        return table_csv([table], request, "orte")
    return render(
        request,
        "feedback/reports/locations.html",
        {
            "report_page": "locations",
            "form": form,
            "filter_query": query,
            "sort": sort,
            "table": table,
            "sentence": report_tables.best_reach_sentence(rows),
        },
    )


@coordinator_page
def channels(request):
    form, filters, query = filter_form(request)
    summary = summaries.channels(filters)
    tables = report_tables.channel_tables(summary)
    if wants_csv(request):
        return table_csv(tables, request, "kanaele")
    shares, totals, months = tables
    return render(
        request,
        "feedback/reports/channels.html",
        {
            "report_page": "channels",
            "form": form,
            "filter_query": query,
            "shares": shares,
            "totals": totals,
            "months": months,
        },
    )


@coordinator_page
def region(request):
    """The Jobcenters the user coordinates, side by side: totals only."""
    return render(
        request,
        "feedback/reports/region.html",
        {
            "report_page": "region",
            "rows": regional.regional_totals(
                regional.coordinated_jobcenters(request.user)
            ),
        },
    )
