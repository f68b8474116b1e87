"""The coordinators' planning pages under /auswertung/planung/ (as the other /auswertung/ pages)."""

from django.shortcuts import render

from feedback.reports import coordinator_page, filter_form, table_csv, wants_csv
from planning import selectors, tables


@coordinator_page
def overview(request):
    """Coming dates with expected contacts, quiet districts, the model's accuracy."""
    data = selectors.planning_overview()
    coming = tables.coming_table(data.coming, data.threshold)
    quiet = tables.quiet_table(data.quiet_districts, data.gap_days)
    accuracy = tables.accuracy_table(data.accuracy)
    if wants_csv(request):
        return table_csv([coming, quiet, accuracy], request, "planung")
    return render(
        request,
        "planning/overview.html",
        {
            "report_page": "planning",
            "data": data,
            "low": [row for row in data.coming if row.low_reach],
            "coming": coming,
            "quiet": quiet,
            "accuracy": accuracy,
            "print_view": request.GET.get("druck") == "1",
        },
    )


@coordinator_page
def channels(request):
    """Which announcement channels brought people, across held events."""
    form, filters, query = filter_form(request)
    report = selectors.channel_report(filters)
    channel_table = tables.channel_table(report)
    places = tables.places_table(report.places)
    if wants_csv(request):
        return table_csv([channel_table, places], request, "planung-kanaele")
    return render(
        request,
        "planning/channels.html",
        {
            "report_page": "planning",
            "form": form,
            "filter_query": query,
            "report": report,
            "channels": channel_table,
            "places": places,
            "print_view": request.GET.get("druck") == "1",
        },
    )
