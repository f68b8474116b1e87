"""The admin's spreadsheet imports: upload, preview, confirm.

One page at ``…/import/`` of a model's admin (``admin:<app>_<model>_import``):

1. GET: the upload form (a file, "only check" for a dry run).
2. POST with the file: the file is read and checked against the database
   without storing anything; the preview shows each row's outcome, the new
   locations and districts, every error with its line number.
3. POST with the confirmation: the rows read in step 2 come back signed
   (``django.core.signing``, bound to the user, the Jobcenter and the kind
   of import, valid for an hour) and compressed in a hidden field; they are
   checked again against the database as it is now and stored, all or
   nothing. No file is kept on the server and nothing grows in the session.

A ModelAdmin gets the page by mixing in ``PastDateImportMixin`` or
``PassersByCountImportMixin`` before ``admin.ModelAdmin``; the changelist
shows an "Import" button (``change_list_template`` below, or include
``admin/planning/includes/import_button.html`` in a template of one's own).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Location
from jobcenters.scoping import current_jobcenter_id
from planning import imports
from planning.imports import CounterHour, FileProblem, HistoryRow, Parsed, Plan

PAYLOAD_MAX_AGE = 60 * 60  # seconds from the preview to "Import now"
SHOWN_ROWS = 500  # rows listed in the preview; the counts cover all


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (separated by ; or ,) or Excel (.xlsx), at most 5 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check (dry run): show the preview, store nothing"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); at most %(limit)s MB.")
                % {
                    "size": round(upload.size / 1_048_576, 1),
                    "limit": imports.MAX_FILE_BYTES // 1_048_576,
                },
                code="file_too_large",
            )
        return upload


class CounterUploadForm(UploadForm):
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location of the counter"),
        queryset=Location.objects.none(),
    )
    field_order = ["location", "file", "dry_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = (
            Location.objects.active().by_name().prefetch_related("translations")
        )


class ImportAdminMixin:
    """The upload → preview → confirm page on a ModelAdmin (see the module doc)."""

    import_kind = ""  # "history" or "counter": part of the signature's salt
    import_form_class = UploadForm
    import_title = ""
    import_help_template = ""
    change_list_template = "admin/planning/import_change_list.html"

    # -- hooks for the kind of import --

    def parse_upload(self, data: bytes) -> Parsed:
        raise NotImplementedError

    def run_import(
        self, parsed: Parsed, *, form_values: dict, source: str, dry_run: bool
    ) -> Plan:
        raise NotImplementedError

    def rows_from_payload(self, rows: list) -> list:
        raise NotImplementedError

    def form_values(self, form) -> dict:
        """What besides the rows the confirmation needs (JSON-able)."""
        return {}

    def preview_extra(self, form_values: dict) -> dict:
        return {}

    # -- the page --

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_add_permission(request):
            extra_context["import_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_import",
                current_app=self.admin_site.name,
            )
        return super().changelist_view(request, extra_context=extra_context)

    def _salt(self, request) -> str:
        return (
            f"planning.import.{self.import_kind}."
            f"{current_jobcenter_id()}.{request.user.pk}"
        )

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request)
        if request.method == "POST":
            form = self.import_form_class(request.POST, request.FILES)
            if form.is_valid():
                return self._preview(request, form)
            return self._page(request, form=form, status=400)
        if request.method not in ("GET", "HEAD"):
            return self._page(request, form=self.import_form_class(), status=405)
        return self._page(request, form=self.import_form_class())

    def _page(self, request, *, form=None, plan=None, status=200, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "help_template": self.import_help_template,
            "form": form,
            "plan": plan,
            "changelist_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            ),
            **extra,
        }
        if plan is not None:
            context.update(
                shown=plan.outcomes[:SHOWN_ROWS],
                hidden=max(0, len(plan.outcomes) - SHOWN_ROWS),
                errors=plan.errors[:SHOWN_ROWS],
                hidden_errors=max(0, len(plan.errors) - SHOWN_ROWS),
            )
        return TemplateResponse(
            request, "admin/planning/import.html", context, status=status
        )

    def _check_rights(self, request, plan: Plan) -> None:
        if plan.ok and plan.updated and not self.has_change_permission(request):
            plan.errors.append(
                imports.RowError(
                    1,
                    _("The file changes stored rows, and you may not change them."),
                )
            )

    def _preview(self, request, form):
        upload = form.cleaned_data["file"]
        source = (upload.name or "")[:200]
        dry_run = form.cleaned_data["dry_run"]
        values = self.form_values(form)
        try:
            parsed = self.parse_upload(upload.read())
        except FileProblem as problem:
            form.add_error("file", str(problem))
            return self._page(request, form=form, status=400)
        plan = self.run_import(parsed, form_values=values, source=source, dry_run=True)
        self._check_rights(request, plan)
        payload = None
        if plan.ok and not dry_run:
            payload = signing.dumps(
                {
                    "source": source,
                    "columns": list(parsed.columns),
                    "rows": [row.to_payload() for row in parsed.rows],
                    **values,
                },
                salt=self._salt(request),
                compress=True,
            )
        return self._page(
            request,
            plan=plan,
            payload=payload,
            dry_run=dry_run,
            status=200 if plan.ok else 400,
            **self.preview_extra(values),
        )

    def _confirm(self, request):
        try:
            data = signing.loads(
                request.POST["payload"],
                salt=self._salt(request),
                max_age=PAYLOAD_MAX_AGE,
            )
            parsed = Parsed(
                rows=self.rows_from_payload(data["rows"]),
                errors=[],
                columns=tuple(data["columns"]),
            )
            source = str(data["source"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            form = self.import_form_class()
            return self._page(
                request,
                form=form,
                status=400,
                stale=_(
                    "The preview has expired or was altered: upload the file again."
                ),
            )
        if not self.has_change_permission(request):
            # Only a user who may not change rows needs to know first.
            plan = self.run_import(
                parsed, form_values=data, source=source, dry_run=True
            )
            self._check_rights(request, plan)
            if not plan.ok:
                return self._page(
                    request, plan=plan, status=403, **self.preview_extra(data)
                )
        plan = self.run_import(parsed, form_values=data, source=source, dry_run=False)
        if not plan.ok or not plan.stored:
            return self._page(
                request, plan=plan, status=409, **self.preview_extra(data)
            )
        self.message_user(
            request,
            _(
                "%(source)s imported: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged."
            )
            % {
                "source": source,
                "created": plan.created,
                "updated": plan.updated,
                "unchanged": plan.unchanged,
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )


class PastDateImportMixin(ImportAdminMixin):
    import_kind = "history"
    import_title = gettext_lazy("Import past dates")
    import_help_template = "admin/planning/includes/history_format.html"

    def parse_upload(self, data: bytes) -> Parsed:
        table = imports.read_table(data, max_rows=imports.MAX_HISTORY_ROWS)
        return imports.parse_history(table)

    def run_import(self, parsed, *, form_values, source, dry_run):
        return imports.run_history(parsed, source=source, dry_run=dry_run)

    def rows_from_payload(self, rows):
        return [HistoryRow.from_payload(item) for item in rows]


class PassersByCountImportMixin(ImportAdminMixin):
    import_kind = "counter"
    import_form_class = CounterUploadForm
    import_title = gettext_lazy("Import a pedestrian counter's file")
    import_help_template = "admin/planning/includes/counter_format.html"

    def parse_upload(self, data: bytes) -> Parsed:
        table = imports.read_table(data, max_rows=imports.MAX_COUNTER_ROWS)
        return imports.parse_counter(table)

    def form_values(self, form) -> dict:
        return {"location": form.cleaned_data["location"].pk}

    def _location(self, form_values) -> Location:
        location = Location.objects.filter(pk=form_values["location"]).first()
        if location is None:
            raise ValueError("the location is gone")
        return location

    def run_import(self, parsed, *, form_values, source, dry_run):
        try:
            location = self._location(form_values)
        except ValueError:
            return Plan(
                source=source,
                errors=[imports.RowError(1, _("The location no longer exists."))],
            )
        return imports.run_counter(
            parsed, location=location, source=source, dry_run=dry_run
        )

    def rows_from_payload(self, rows):
        return [CounterHour.from_payload(item) for item in rows]

    def preview_extra(self, form_values: dict) -> dict:
        location = (
            Location.objects.filter(pk=form_values.get("location"))
            .prefetch_related("translations")
            .first()
        )
        return {"counter_location": location}
