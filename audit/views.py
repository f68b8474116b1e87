"""The coordinators' list of changes at /auswertung/aenderungen/."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from audit import selectors
from audit.forms import ChangeFilterForm

CHANGES_PER_PAGE = 50


@cache_control(private=True, no_store=True)
@login_required
@permission_required("audit.view_changes", raise_exception=True)
@require_safe
def changes(request):
    form = ChangeFilterForm(request.GET, user=request.user)
    filters = form.filters()
    page = Paginator(selectors.changes(filters), CHANGES_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "audit/changes.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "changes": with_admin_links(
                request.user, selectors.describe(list(page.object_list))
            ),
        },
    )


def with_admin_links(user, changes: list[selectors.Change]) -> list[selectors.Change]:
    """Link each change to the admin's history of its object, where the user may go."""
    models = selectors.tracked_models()
    for change in changes:
        opts = models[change.kind]._meta
        if admin.site.is_registered(models[change.kind]) and user.has_perm(
            f"{opts.app_label}.view_{opts.model_name}"
        ):
            change.admin_history_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history",
                args=[change.object_id],
            )
    return changes
