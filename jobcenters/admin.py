"""The Jobcenters in the admin.

The operator (a superuser) sees every Jobcenter, adds new ones and sets their
host names. A Jobcenter's Koordination keeps its own identity and legal
details up to date: only the Jobcenter the request is for, never its slug or
host names. The go-live checklist sits at the top of the change page.
"""

from django import forms
from django.contrib import admin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenters.checklist import missing_items
from jobcenters.models import Host, Jobcenter

# Long enough for an address block or a paragraph; a page is no novel.
TEXT_MAX_LENGTH = 2000


class JobcenterForm(forms.ModelForm):
    class Meta:
        model = Jobcenter
        # The admin narrows this to its fieldsets (without slug for Koordination).
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "state",
            "logo",
            "brand_color",
            "legal_body",
            "street",
            "postcode",
            "city",
            "represented_by",
            "phone",
            "email",
            "supervisory_authority",
            "data_protection_officer",
            "accessibility_contact",
            "accessibility_reviewed_on",
            "enforcement_body",
            "dgs_video",
            "dgs_captions",
        ]
        widgets = {"brand_color": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(Jobcenter._meta.get_field(name), models.TextField):
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                field.widget.attrs["maxlength"] = str(TEXT_MAX_LENGTH)
                field.widget.attrs["rows"] = "4"


class HostInline(admin.TabularInline):
    model = Host
    extra = 1
    fields = ["name", "is_primary"]


IDENTITY = (
    _("Identity"),
    {"fields": ["name", "short_name", "slug", "kind", "state", "logo", "brand_color"]},
)
IMPRINT = (
    _("Imprint and privacy statement"),
    {
        "fields": [
            "legal_body",
            "street",
            "postcode",
            "city",
            "represented_by",
            "phone",
            "email",
            "supervisory_authority",
            "data_protection_officer",
        ]
    },
)
ACCESSIBILITY = (
    _("Accessibility statement"),
    {
        "fields": [
            "accessibility_contact",
            "accessibility_reviewed_on",
            "enforcement_body",
            "dgs_video",
            "dgs_captions",
        ]
    },
)


@admin.register(Jobcenter)
class JobcenterAdmin(admin.ModelAdmin):
    form = JobcenterForm
    change_form_template = "admin/jobcenters/jobcenter/change_form.html"
    list_display = ["name", "kind", "state", "host_names", "open_items"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "short_name", "city"]

    # Whose Jobcenter: the operator's are all; anyone else's is the request's.

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("hosts")
        if request.user.is_superuser:
            return queryset
        jobcenter = getattr(request, "jobcenter", None)
        return queryset.filter(pk=jobcenter.pk) if jobcenter else queryset.none()

    def _own(self, request, obj) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        jobcenter = getattr(request, "jobcenter", None)
        return jobcenter is not None and obj.pk == jobcenter.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    # What may be changed: slug and host names only by the operator.

    def get_fieldsets(self, request, obj=None):
        identity = IDENTITY
        if not request.user.is_superuser:
            identity = (
                IDENTITY[0],
                {"fields": [*IDENTITY[1]["fields"], "host_names"]},
            )
        return [identity, IMPRINT, ACCESSIBILITY]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["slug", "host_names"]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if request.user.is_superuser else {}

    def get_inlines(self, request, obj):
        return [HostInline] if request.user.is_superuser else []

    @admin.display(description=_("host names"))
    def host_names(self, obj) -> str:
        return ", ".join(host.name for host in obj.hosts.all()) or "–"

    @admin.display(description=_("missing before go-live"))
    def open_items(self, obj) -> int:
        return len(missing_items(obj))

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.pk:
            # After a refused form the object holds what was typed; the list
            # describes what the pages show now.
            saved = (
                Jobcenter.objects.get(pk=obj.pk) if request.method == "POST" else obj
            )
            context["checklist"] = missing_items(saved)
        return super().render_change_form(request, context, add, change, form_url, obj)


# Who works where (memberships), for the operator: jobcenters/staff_admin.py.
from jobcenters import staff_admin  # noqa: E402, F401
