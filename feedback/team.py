"""Staff pages on site: counting conversations at the stand (/team/)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from events.models import Event, ServiceOffering, TargetGroup
from feedback import selectors, services

EVENT_PARAMETER = "veranstaltung"


class CountForm(forms.Form):
    """One tap: count a conversation, or take back one's own last count."""

    COUNT, UNDO = "count", "undo"

    event = forms.ModelChoiceField(queryset=Event.objects.none())
    action = forms.ChoiceField(choices=[(COUNT, COUNT), (UNDO, UNDO)])
    target_group = forms.ModelChoiceField(
        queryset=TargetGroup.objects.active(), required=False
    )
    service = forms.ModelChoiceField(
        queryset=ServiceOffering.objects.active(), required=False
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events.prefetch_related("translations")

    def clean(self):
        data = super().clean()
        event, service = data.get("event"), data.get("service")
        if (
            event
            and service
            and not selectors.countable_services(event).filter(pk=service.pk).exists()
        ):
            raise forms.ValidationError(_("This topic is not offered at the event."))
        return data


def count_label(target_group, service) -> str:
    parts = [str(part) for part in (target_group, service) if part is not None]
    return " · ".join(parts) or gettext("conversation without details")


def page_url(event: Event) -> str:
    return f"{reverse('feedback:team')}?{EVENT_PARAMETER}={event.pk}"


@login_required
@permission_required("feedback.add_contactcount", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    events = selectors.countable_events()
    if request.method == "POST":
        return _record(request, events)
    today = list(events)
    chosen = request.GET.get(EVENT_PARAMETER)
    if chosen is not None:
        event = next((e for e in today if str(e.pk) == chosen), None)
        if event is None:
            raise Http404(gettext("No event to count at today with this number."))
    elif len(today) == 1:
        event = today[0]
    elif today:
        return render(request, "feedback/team/choose.html", {"events": today})
    else:
        return render(
            request,
            "feedback/team/none_today.html",
            {"next_event": selectors.next_countable_event()},
        )
    return render(
        request,
        "feedback/team/count.html",
        {
            "event": event,
            "board": selectors.count_board(event),
            "other_events": len(today) > 1,
            "undo_minutes": int(services.UNDO_WINDOW.total_seconds() // 60),
        },
    )


def _record(request, events):
    form = CountForm(request.POST, events=events)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"errors": form.errors}, status=400)
        return render(request, "feedback/team/invalid.html", status=400)
    data = form.cleaned_data
    event = data["event"]
    if data["action"] == CountForm.COUNT:
        services.count_contact(
            event,
            request.user,
            target_group=data["target_group"],
            service=data["service"],
        )
        level = messages.SUCCESS
        text = gettext("Counted: %(what)s") % {
            "what": count_label(data["target_group"], data["service"])
        }
    else:
        undone = services.undo_last_count(event, request.user)
        if undone is None:
            level = messages.WARNING
            text = gettext(
                "Nothing to undo: you have no count of your own from the last "
                "%(minutes)s minutes."
            ) % {"minutes": int(services.UNDO_WINDOW.total_seconds() // 60)}
        else:
            level = messages.SUCCESS
            text = gettext("Undone: %(what)s") % {
                "what": count_label(undone.target_group, undone.service)
            }
    if wants_json:
        totals = selectors.contact_totals(event)
        return JsonResponse(
            {
                "message": text,
                "level": messages.DEFAULT_TAGS[level],
                "totals": totals.as_json(),
            }
        )
    messages.add_message(request, level, text)
    return redirect(page_url(event))
