"""The go-live notice on the admin index."""

from django import template
from django.urls import reverse

from jobcenters.checklist import missing_items

register = template.Library()


@register.inclusion_tag("admin/jobcenters/go_live_notice.html", takes_context=True)
def go_live_notice(context) -> dict:
    """The current Jobcenter's missing details, for its staff and the operator."""
    request = context.get("request")
    jobcenter = getattr(request, "jobcenter", None)
    user = getattr(request, "user", None)
    # Staff of this Jobcenter hold permissions in it (their role's); the
    # permissions are cached for the request, so this costs no query.
    if jobcenter is None or not (user.is_superuser or user.get_all_permissions()):
        return {"missing": []}
    can_change = user.has_perm("jobcenters.change_jobcenter")
    return {
        "jobcenter": jobcenter,
        "missing": missing_items(jobcenter),
        "change_url": reverse("admin:jobcenters_jobcenter_change", args=[jobcenter.pk])
        if can_change
        else "",
    }
