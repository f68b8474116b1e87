"""What the translated models' admins share: language status, export, text history.

``events/admin.py`` mixes ``TranslationStatusMixin`` into its translated
admins; everything else about translations for staff lives in this app.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.selectors import text_changes
from events.models import Review, ReviewPhoto
from translation_exchange.forms import ExportForm
from translation_exchange.selectors import language_name, language_status
from translation_exchange.views import download

TEXT_CHANGES_SHOWN = 100


def status_text(status) -> str:
    """The status in words, for the title and for screen readers."""
    complete = ", ".join(status.names_complete) or "–"
    missing = ", ".join(status.names_missing) or "–"
    return _("Complete: %(complete)s. Missing: %(missing)s.") % {
        "complete": complete,
        "missing": missing,
    }


class TranslationStatusMixin:
    """For a TranslatableAdmin: a language column, a summary above the language
    tabs, an export action for translators and the texts' changes in History.

    The admin's queryset must prefetch "translations" (TranslatedAdmin does).
    """

    @property
    def change_form_template(self):
        return "translation_exchange/change_form.html"

    def get_list_display(self, request):
        return [*super().get_list_display(request), "language_status"]

    @admin.display(description=gettext_lazy("languages"))
    def language_status(self, obj):
        status = language_status(obj)
        codes = format_html_join(
            " ",
            '<span class="{}">{}</span>',
            [
                *(("lang-complete", code) for code in status.complete),
                *(("lang-missing", f"–{code}") for code in status.missing),
            ],
        )
        return format_html(
            '<span class="lang-status" title="{}" aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span>',
            status_text(status),
            codes,
            status_text(status),
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.pk:
            status = language_status(obj)
            context["translation_status"] = {
                "complete": status.names_complete,
                "missing": status.names_missing,
            }
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_view_permission(request):
            actions["export_for_translation"] = (
                type(self).export_for_translation,
                "export_for_translation",
                gettext_lazy("Export German texts for a translator"),
            )
        return actions

    def export_for_translation(self, request, queryset):
        """The selected objects' German texts as a file (after choosing a language)."""
        form = ExportForm(request.POST if "language" in request.POST else None)
        objects = list(self.with_parts(queryset))
        if form.is_bound and form.is_valid():
            return download(
                objects,
                language=form.cleaned_data["language"],
                file_format=form.cleaned_data["file_format"],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export German texts for a translator"),
            "opts": self.model._meta,
            "objects": objects,
            "selected": [obj.pk for obj in objects if isinstance(obj, self.model)],
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "translation_exchange/export_action.html", context
        )

    def with_parts(self, queryset):
        """The selection and, for reviews, their photos (whose texts go along)."""
        queryset = queryset.prefetch_related("translations")
        if self.model is not Review:
            yield from queryset
            return
        photos = Prefetch(
            "photos", queryset=ReviewPhoto.objects.prefetch_related("translations")
        )
        for review in queryset.prefetch_related(photos):
            yield review
            yield from review.photos.all()

    def history_view(self, request, object_id, extra_context=None):
        pk = unquote(object_id)
        if not pk.isdigit():
            # simple-history would look it up as it is, and fail.
            raise Http404
        changes = text_changes(self.model, int(pk), limit=TEXT_CHANGES_SHOWN)
        for change in changes:
            change.language = f"{language_name(change.language)} ({change.language})"
        extra_context = {
            **(extra_context or {}),
            "text_changes": changes,
            "text_changes_cut": len(changes) >= TEXT_CHANGES_SHOWN,
        }
        return super().history_view(request, object_id, extra_context)
