"""Staff pages under /admin/uebersetzungen/ (wrapped by the admin site)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from events.models import SOURCE_LANGUAGE
from translation_exchange import exchange, selectors, services
from translation_exchange.forms import ExportForm, ImportForm, WindowForm

PERMISSION = "events.change_event"


def check_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def page(request, *, window, export_form=None, import_form=None, report=None):
    days = window.days()
    context = {
        **admin.site.each_context(request),
        "title": _("Missing translations"),
        "window": window,
        "days": days,
        "events": selectors.events_missing_translations(days=days),
        "languages": selectors.target_languages(),
        "export_form": export_form or ExportForm(),
        "import_form": import_form or ImportForm(),
        "report": report,
    }
    status = 400 if (import_form is not None and import_form.errors) else 200
    return TemplateResponse(
        request, "translation_exchange/missing.html", context, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def missing(request):
    """Events soon public with texts missing; export and import for translators."""
    check_permission(request)
    window = WindowForm(request.GET if "tage" in request.GET else None)
    if request.method != "POST":
        return page(request, window=window)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return page(request, window=window, import_form=form)
    report = services.import_translations(
        units=form.units, language=form.cleaned_data["language"], user=request.user
    )
    if report.imported:
        messages.success(
            request,
            _("%(fields)d texts of %(objects)d entries imported.")
            % {"fields": report.imported, "objects": report.objects},
        )
    return page(request, window=window, report=report)


@require_safe
def export(request):
    """The German texts of the events on the page, their places and services."""
    check_permission(request)
    window = WindowForm(request.GET if "tage" in request.GET else None)
    form = ExportForm(request.GET)
    if (window.is_bound and not window.is_valid()) or not form.is_valid():
        return page(request, window=window, export_form=form)
    language = form.cleaned_data["language"]
    objects = selectors.objects_to_translate(days=window.days(), language=language)
    if not objects:
        messages.info(request, _("Nothing is missing in that language."))
        url = reverse("translation_exchange:missing")
        return redirect(f"{url}?tage={window.days()}")
    return download(
        objects, language=language, file_format=form.cleaned_data["file_format"]
    )


def download(objects, *, language: str, file_format: str) -> HttpResponse:
    data = exchange.write(
        exchange.units_for(objects, language),
        language=language,
        file_format=file_format,
    )
    response = HttpResponse(data, content_type=exchange.CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    name = (
        f"quartier-{SOURCE_LANGUAGE}-{language}-{stamp}.{exchange.FORMATS[file_format]}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
