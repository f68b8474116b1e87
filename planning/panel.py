"""The planning panel in the event form: expected contacts, warnings, alternatives.

Shown on the admin's event add and change pages (attached by
``planning.admin`` through ``EventAdmin.side_panels``). The change page
renders it for the saved place and time; ``static/js/planning-panel.js``
asks ``panel_view`` for a fresh fragment whenever the form's place or time
changes, before anything is saved.
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize_input
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from events.admin import SidePanel
from events.models import Event, Location
from planning.alternatives import Alternative, planned_and_alternatives
from planning.estimates import Estimate
from planning.warnings import PlanningWarning, warnings_for

MAX_SPAN_DAYS = 7


@dataclass(frozen=True)
class Panel:
    location: Location
    start: datetime
    end: datetime
    estimate: Estimate
    warnings: list[PlanningWarning]
    alternatives: list[Alternative]


def build_panel(location, start, end, *, exclude_event=None) -> Panel:
    planned, better = planned_and_alternatives(
        location, start, end, exclude_event=exclude_event
    )
    return Panel(
        location=location,
        start=start,
        end=end,
        estimate=planned,
        warnings=warnings_for(location, start, end, exclude_event=exclude_event),
        alternatives=better,
    )


def form_values(alternative: Alternative) -> dict[str, str]:
    """What "use this" puts in the form's fields, as the admin's widgets show it."""
    start = timezone.localtime(alternative.start)
    end = timezone.localtime(alternative.end)
    return {
        "location": str(alternative.location.pk),
        "location_label": str(alternative.location),
        "start_0": localize_input(start.date()),
        "start_1": localize_input(start.time().replace(microsecond=0)),
        "end_0": localize_input(end.date()),
        "end_1": localize_input(end.time().replace(microsecond=0)),
    }


def render_fragment(panel: Panel | None, message: str = "") -> str:
    rows = []
    if panel is not None:
        rows = [(item, form_values(item)) for item in panel.alternatives]
    return render_to_string(
        "planning/panel_fragment.html",
        {"panel": panel, "alternatives": rows, "message": message},
    )


class PanelQuery(forms.Form):
    """The form's current place and time, as the admin's fields send them."""

    location = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    start = forms.SplitDateTimeField()
    end = forms.SplitDateTimeField()
    event = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end <= start:
                raise forms.ValidationError(_("The end must be after the start."))
            if (end - start).days >= MAX_SPAN_DAYS:
                raise forms.ValidationError(_("A date lasts less than a week."))
        return data


def _query_data(params) -> dict:
    """The split fields (start_0, start_1) as sent; ISO ``start=`` also accepted."""
    data = {key: params.get(key, "") for key in ("location", "event")}
    for name in ("start", "end"):
        data[f"{name}_0"] = params.get(f"{name}_0", "")
        data[f"{name}_1"] = params.get(f"{name}_1", "")
        whole = params.get(name, "")
        if whole and not data[f"{name}_0"]:
            day, _sep, at = whole.replace(" ", "T").partition("T")
            data[f"{name}_0"], data[f"{name}_1"] = day, at
    return data


def _bad_request(query: PanelQuery) -> HttpResponse:
    problems = []
    for field, errors in query.errors.items():
        label = query.fields[field].label or field if field in query.fields else ""
        for error in errors:
            problems.append(f"{label}: {error}" if label else error)
    text = gettext("The panel cannot be shown: %(problems)s") % {
        "problems": " ".join(problems)
    }
    return HttpResponseBadRequest(
        format_html('<p class="errornote">{}</p>', text),
        content_type="text/html; charset=utf-8",
    )


@never_cache
@require_GET
def panel_view(request):
    """The panel's HTML for the place and time in the address (staff only).

    Needs the right to add or change events; a place or event of another
    Jobcenter is not found (404); bad parameters answer 400 with the reason.
    """
    if not (
        request.user.has_perm("events.add_event")
        or request.user.has_perm("events.change_event")
    ):
        raise PermissionDenied
    query = PanelQuery(_query_data(request.GET))
    query.fields["location"].label = gettext("place")
    query.fields["start"].label = gettext("start")
    query.fields["end"].label = gettext("end")
    query.fields["event"].label = gettext("event")
    if not query.is_valid():
        return _bad_request(query)
    data = query.cleaned_data
    location = get_object_or_404(
        Location.objects.select_related("district"), pk=data["location"]
    )
    event = None
    if data["event"]:
        event = Event.objects.filter(pk=data["event"]).values_list("pk", flat=True)
        if not event:
            raise Http404
        event = event[0]
    panel = build_panel(location, data["start"], data["end"], exclude_event=event)
    return HttpResponse(render_fragment(panel))


class PlanningSidePanel(SidePanel):
    """The planning panel as a box in the event form (see ``events.admin``)."""

    url_name = "events_event_planning_panel"

    def get_urls(self, model_admin) -> list:
        return [
            path(
                "planung/",
                model_admin.admin_site.admin_view(panel_view),
                name=self.url_name,
            )
        ]

    def render(self, request, obj, model_admin) -> str:
        panel = None
        message = gettext(
            "Choose a place, a start and an end to see the expected contacts."
        )
        # A form sent back with errors holds other values than the saved
        # ones: the script asks for those (without it, the message stays).
        saved = request.method == "GET"
        if (
            saved
            and obj is not None
            and obj.pk
            and obj.location_id
            and obj.start
            and obj.end
        ):
            location = Location.objects.select_related("district").get(
                pk=obj.location_id
            )
            panel = build_panel(location, obj.start, obj.end, exclude_event=obj.pk)
        return render_to_string(
            "planning/panel.html",
            {
                "fragment": render_fragment(panel, message),
                "url": reverse(f"{model_admin.admin_site.name}:{self.url_name}"),
                "event_pk": obj.pk if obj is not None and obj.pk else "",
            },
            request=request,
        )
