"""Counting passers-by on site (/team/passanten/): a quarter hour tapped on a phone.

The page works as a plain form (type the number and the minutes) and, with
``static/js/passers-by.js``, as a tap counter with a 15-minute timer that
fills the same form. Business rules live in ``planning.forms``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from feedback.selectors import countable_events
from planning.forms import COUNT_MINUTES, PassersByForm
from planning.models import PassersByCount

# Today's counts shown under the form, newest first.
RECENT = 5


def _initial() -> dict:
    """Today, this hour, a quarter hour; the place of today's first event."""
    now = timezone.localtime()
    initial = {"date": now.date(), "hour": now.hour, "minutes": COUNT_MINUTES}
    event = countable_events().only("location_id").first()
    if event is not None:
        initial["location"] = event.location_id
    return initial


@login_required
@permission_required("planning.add_passersbycount", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def passers_by(request):
    if request.method == "POST":
        form = PassersByForm(request.POST)
        if form.is_valid():
            count = form.save(commit=False)
            count.source = PassersByCount.Source.ON_SITE
            count.counted_by = request.user
            count.save()
            messages.success(
                request,
                gettext(
                    "Saved: %(count)d passers-by in %(minutes)d minutes at "
                    "%(location)s (about %(rate)d an hour)."
                )
                % {
                    "count": count.count,
                    "minutes": count.minutes,
                    "location": count.location,
                    "rate": round(count.per_hour),
                },
            )
            return redirect("planning:passers_by")
    else:
        form = PassersByForm(initial=_initial())
    recent = (
        PassersByCount.objects.filter(
            date=timezone.localdate(), source=PassersByCount.Source.ON_SITE
        )
        .select_related("location")
        .prefetch_related("location__translations")
        .order_by("-created_at", "-pk")[:RECENT]
    )
    return render(
        request,
        "planning/team/passers_by.html",
        {"form": form, "recent": recent, "count_minutes": COUNT_MINUTES},
        status=400 if form.is_bound else 200,
    )
