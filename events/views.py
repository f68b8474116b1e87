from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from events.models import Event, EventSlugRedirect


def upcoming(request):
    events = (
        Event.objects.public()
        .upcoming()
        .select_related("location__district")
        .order_by("start")[:20]
    )
    return render(request, "events/upcoming.html", {"events": events})


def detail(request, slug):
    visible = (
        Event.objects.all()
        if request.user.has_perm("events.view_event")
        else (Event.objects.public())
    )
    event = visible.select_related("location__district").filter(slug=slug).first()
    if event is None:
        old = get_object_or_404(
            EventSlugRedirect.objects.select_related("event"), old_slug=slug
        )
        return redirect(old.event, permanent=True)
    return render(request, "events/detail.html", {"event": event})


def archive(request):
    raise Http404
