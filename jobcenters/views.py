"""Switching the Jobcenter one works in, in the staff areas."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jobcenters import staff


class SwitchForm(forms.Form):
    jobcenter = forms.TypedChoiceField(coerce=int, choices=())
    next = forms.CharField(required=False)

    def __init__(self, *args, jobcenters, **kwargs):
        super().__init__(*args, **kwargs)
        self.jobcenters = {jobcenter.pk: jobcenter for jobcenter in jobcenters}
        self.fields["jobcenter"].choices = [
            (pk, str(jobcenter)) for pk, jobcenter in self.jobcenters.items()
        ]


@login_required
@require_POST
def switch(request):
    """Work in another of one's Jobcenters from now on (kept in the session).

    Only Jobcenters the user holds a membership in (any for superusers); the
    middleware checks the choice again on every request.
    """
    available = getattr(request, "staff_jobcenters", None)
    if available is None:
        available = staff.jobcenters_for(request.user)
    form = SwitchForm(request.POST, jobcenters=available)
    if not form.is_valid():
        return HttpResponseBadRequest(
            gettext("You do not work for this Jobcenter."),
            content_type="text/plain; charset=utf-8",
        )
    jobcenter = form.jobcenters[form.cleaned_data["jobcenter"]]
    staff.choose(request, jobcenter)
    messages.success(
        request, gettext("You now work in %(name)s.") % {"name": jobcenter.name}
    )
    target = form.cleaned_data["next"]
    if not (
        target
        and staff.is_staff_path(target)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=False
        )
    ):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)
